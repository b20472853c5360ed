using System.Net;
using BatchVideo.Cli;
using BatchVideo.Pages;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Pages;

/// <summary>The public page routes behind serve's request guard: open to recipients, still closed to other sites and other names.</summary>
[TestFixture]
public sealed class PageGuardTests
{
    private const string Token = "a-long-admin-token-0123456789";
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");
    private static readonly string PagePath = PageLinks.PagePrefix + PageTokens.New();

    private static ServeRequestGuard Public() =>
        ServeRequestGuard.For("http://0.0.0.0:5080", Token, null, "/healthz", "/webhooks/heygen").WithPublicPages(new Uri("https://video.example.com"));

    [Test]
    public void A_page_and_its_beacon_are_open_to_any_machine_on_the_public_name()
    {
        var page = Public().Check(new ServeRequest("GET", PagePath, "http", "video.example.com", null, null, null, Remote));
        var beacon = Public().Check(new ServeRequest("POST", PagePath, "http", "video.example.com", "https://video.example.com", "same-origin", "application/json", Remote));
        var tokenless = ServeRequestGuard.For("http://127.0.0.1:5080", null, null).Check(new ServeRequest("GET", PagePath, "http", "127.0.0.1:5080", null, null, null, Remote));

        Assert.That((page, beacon, tokenless), Is.EqualTo(((ServeRefusal?)null, (ServeRefusal?)null, (ServeRefusal?)null)));
    }

    [Test]
    public void A_beacon_from_another_site_another_name_or_a_form_is_refused()
    {
        var crossSite = Public().Check(new ServeRequest("POST", PagePath, "http", "video.example.com", "https://evil.example", "cross-site", "application/json", Remote));
        var form = Public().Check(new ServeRequest("POST", PagePath, "http", "video.example.com", null, null, "text/plain", Remote));
        var rebound = Public().Check(new ServeRequest("GET", PagePath, "http", "rebind.evil.example", null, null, null, Remote));

        Assert.That((crossSite?.StatusCode, form?.StatusCode, rebound?.StatusCode), Is.EqualTo(((int?)403, (int?)415, (int?)421)));
    }

    [Test]
    public void Admin_routes_stay_closed_to_a_tokenless_remote_caller_with_pages_on()
    {
        var guard = ServeRequestGuard.For("http://127.0.0.1:5080", null, null).WithPublicPages(new Uri("http://127.0.0.1:5080"));

        Assert.That(guard.Check(new ServeRequest("GET", "/", "http", "127.0.0.1:5080", null, null, null, Remote))?.StatusCode, Is.EqualTo(403));
        Assert.That(guard.Check(new ServeRequest("GET", "/videos", "http", "127.0.0.1:5080", null, null, null, Remote))?.StatusCode, Is.EqualTo(403));
    }

    [Test]
    [Category("Integration")]
    public async Task Serve_refuses_to_start_with_pages_on_and_no_public_address()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["Pages"] = new System.Text.Json.Nodes.JsonObject { ["Enabled"] = true });

        var serve = await harness.RunCliAsync("serve", "--config", harness.ConfigPath, "--urls", ServeNode.FreeAddress().AbsoluteUri.TrimEnd('/'));

        Assert.That(serve.ExitCode, Is.EqualTo(2), serve.Output + serve.Error);
        Assert.That(serve.Output + serve.Error, Does.Contain("Campaigns:welcome:Pages:Enabled is true but Pages:PublicBaseUrl is not set"));
    }
}
