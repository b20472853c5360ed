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
        var (page, errors) = await NewPageAsync(browser, new ViewPortOptions { Width = 1400, Height = 900 });
        await page.GoToAsync(new Uri(path).AbsoluteUri + fragment, WaitUntilNavigation.Load);
        return (page, errors);
    }

    /// <summary>
    /// Opens the served page <paramref name="url"/>, which must answer 200, collecting console errors, uncaught
    /// exceptions and the URL of every request the page makes; each dialog's message goes to
    /// <paramref name="onDialog"/> and the dialog is dismissed.
    /// </summary>
    public static async Task<(IPage Page, List<string> Errors, List<string> Requests)> OpenAsync(IBrowser browser, Uri url, Action<string>? onDialog = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var (page, errors) = await NewPageAsync(browser, new ViewPortOptions { Width = 1200, Height = 800 });
        var requests = new List<string>();
        page.Request += (_, e) =>
        {
            lock (requests)
            {
                requests.Add(e.Request.Url);
            }
        };
        page.Dialog += async (_, e) =>
        {
            onDialog?.Invoke(e.Dialog.Message);
            await e.Dialog.Dismiss();
        };
        var response = await page.GoToAsync(url.AbsoluteUri, WaitUntilNavigation.Load);
        Assert.That(response.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), url.AbsoluteUri);
        return (page, errors, requests);
    }

    /// <summary>A new page of <paramref name="viewport"/>'s size whose console errors and uncaught exceptions are collected.</summary>
    private static async Task<(IPage Page, List<string> Errors)> NewPageAsync(IBrowser browser, ViewPortOptions viewport)
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
        await page.SetViewportAsync(viewport);
        return (page, errors);
    }
}
