using PuppeteerSharp;

namespace BatchVideo.Tests.Support;

/// <summary>
/// Debian's chromium, driven over the DevTools protocol (PuppeteerSharp with the installed executable:
/// nothing is downloaded). In CI (CI=true) a missing browser fails the calling test; on a developer's
/// machine the test is skipped with the reason.
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static async Task<IBrowser> LaunchAsync()
    {
        var executable = Candidates.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            var reason = $"a headless Chromium is needed for this test but none of {string.Join(", ", Candidates)} exists";
            if (PostgresServer.IsCi)
            {
                Assert.Fail(reason + " (.ci/run installs the Debian chromium package)");
            }

            Assert.Ignore(reason + ". Install the Debian package chromium to run it.");
        }

        return await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = executable,
            // As root (CI) Chromium refuses its sandbox; the pages it opens are our own files.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--allow-file-access-from-files"],
            Timeout = 60_000,
        });
    }

    /// <summary>Opens <paramref name="path"/> and collects every console error and uncaught exception of the page.</summary>
    public static async Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowser browser, string path, string fragment = "")
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                lock (errors)
                {
                    errors.Add(e.Message.Text);
                }
            }
        };
        page.PageError += (_, e) =>
        {
            lock (errors)
            {
                errors.Add(e.Message);
            }
        };
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
        await page.GoToAsync(new Uri(path).AbsoluteUri + fragment, WaitUntilNavigation.Load);
        return (page, errors);
    }
}
