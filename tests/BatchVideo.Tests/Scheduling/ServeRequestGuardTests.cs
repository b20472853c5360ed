using System.Net;
using BatchVideo.Cli;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Scheduling;

/// <summary>The rules that keep web pages out of <c>serve</c>: host names, cross-site requests, tokenless admin routes.</summary>
[TestFixture]
public sealed class ServeRequestGuardTests
{
    private const string Loopback = "http://127.0.0.1:5080";
    private static readonly IPAddress Local = IPAddress.Loopback;

    private static ServeRequest Post(string host = "127.0.0.1:5080", string? origin = null, string? site = null, string? type = null, IPAddress? caller = null) =>
        new("POST", "/campaigns/welcome/trigger", "http", host, origin, site, type, caller ?? Local);

    private static ServeRequest Get(string path, string host, IPAddress? caller = null, string? origin = null) =>
        new("GET", path, "http", host, origin, null, null, caller ?? Local);

    private static ServeRequestGuard Tokenless() => ServeRequestGuard.For(Loopback, null, null, "/healthz", "/webhooks/heygen");

    [TestCase("http://127.0.0.1:5080", "http://127.0.0.1:5081/", "http://127.0.0.1:5081")]
    [TestCase("http://127.0.0.1:5081", "http://127.0.0.1:5081/", null)]
    [TestCase("http://127.0.0.1:5080;http://localhost:5081/", "http://localhost:5081/", null)]
    [TestCase("http://*:8080", "http://localhost:8081/", "http://localhost:8081")]
    [TestCase("http://127.0.0.1:5080", "https://video.example.com/", null)]
    [TestCase("http://127.0.0.1:5080", null, null)]
    public void Pages_on_a_loopback_port_serve_does_not_listen_on_are_named(string urls, string? pagesAt, string? missed) =>
        Assert.That(ServeCommand.PagesMissed(urls, pagesAt is null ? null : new Uri(pagesAt)), Is.EqualTo(missed));

    [Test]
    public void A_cross_site_form_post_to_a_tokenless_trigger_is_refused()
    {
        var refusal = Tokenless().Check(Post(origin: "https://evil.example", site: "cross-site", type: "application/x-www-form-urlencoded"));

        Assert.That(refusal?.StatusCode, Is.EqualTo(403));
        Assert.That(refusal?.Reason, Does.Contain("cross-site"));
    }

    [TestCase("https://evil.example", null)]
    [TestCase("null", null)]
    [TestCase(null, "same-site")]
    [TestCase(null, "cross-site")]
    public void A_state_change_a_browser_marks_as_from_elsewhere_is_refused(string? origin, string? site) =>
        Assert.That(Tokenless().Check(Post(origin: origin, site: site))?.StatusCode, Is.EqualTo(403));

    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("multipart/form-data; boundary=x")]
    [TestCase("text/plain;charset=UTF-8")]
    public void A_form_content_type_is_refused_even_without_origin_headers(string type) =>
        Assert.That(ServeRequestGuard.For(Loopback, "a-long-admin-token-0123456789", null).Check(Post(type: type))?.StatusCode, Is.EqualTo(415));

    [Test]
    public void The_command_line_trigger_passes_a_tokenless_loopback_serve() =>
        Assert.That(Tokenless().Check(Post()), Is.Null);

    [Test]
    public void Without_a_token_an_admin_route_refuses_an_origin_even_its_own_for_reading() =>
        Assert.That(Tokenless().Check(Get("/", "127.0.0.1:5080", origin: "http://127.0.0.1:5080"))?.StatusCode, Is.EqualTo(403));

    [Test]
    public void Without_a_token_an_admin_route_refuses_a_caller_from_another_machine() =>
        Assert.That(Tokenless().Check(Post(caller: IPAddress.Parse("192.168.1.20")))?.StatusCode, Is.EqualTo(403));

    [Test]
    public void With_a_token_a_same_origin_post_from_another_machine_reaches_the_token_check() =>
        Assert.That(
            ServeRequestGuard.For("http://0.0.0.0:5080", "a-long-admin-token-0123456789", "videos.example.com")
                .Check(Post(host: "videos.example.com", origin: "http://videos.example.com", site: "same-origin", caller: IPAddress.Parse("203.0.113.9"))),
            Is.Null);

    [TestCase("evil.example")]
    [TestCase("evil.example:5080")]
    [TestCase("127.0.0.1.evil.example:5080")]
    [TestCase("")]
    public void A_foreign_host_name_reads_nothing_not_even_health(string host)
    {
        var guard = Tokenless();

        Assert.That(guard.Check(Get("/", host))?.StatusCode, Is.EqualTo(421));
        Assert.That(guard.Check(Get("/campaigns/welcome/review", host))?.StatusCode, Is.EqualTo(421));
        Assert.That(guard.Check(Get("/healthz", host))?.StatusCode, Is.EqualTo(421));
    }

    [TestCase("127.0.0.1:5080")]
    [TestCase("localhost:5080")]
    [TestCase("LOCALHOST")]
    [TestCase("[::1]:5080")]
    [TestCase("127.0.0.2:5080")]
    public void Loopback_names_are_served(string host) =>
        Assert.That(Tokenless().Check(Get("/", host)), Is.Null);

    [Test]
    public void On_every_interface_addresses_and_listed_names_are_served_and_other_names_are_not()
    {
        var guard = ServeRequestGuard.For("http://*:5080", "a-long-admin-token-0123456789", "videos.example.com; batch.internal", "/healthz");

        Assert.That(guard.ListensEverywhere, Is.True);
        Assert.That(guard.Check(Get("/healthz", "10.1.2.3:5080", IPAddress.Parse("10.1.2.4"))), Is.Null);
        Assert.That(guard.Check(Get("/healthz", "videos.example.com", IPAddress.Parse("10.1.2.4"))), Is.Null);
        Assert.That(guard.Check(Get("/healthz", "batch.internal:5080", IPAddress.Parse("10.1.2.4"))), Is.Null);
        Assert.That(guard.Check(Get("/healthz", "rebound.evil.example:5080", IPAddress.Parse("10.1.2.4")))?.StatusCode, Is.EqualTo(421));
    }

    [Test]
    public void A_listed_url_name_is_served() =>
        Assert.That(ServeRequestGuard.For("http://batch.example.com:5080", "a-long-admin-token-0123456789", null).Check(Get("/", "batch.example.com:5080", IPAddress.Parse("203.0.113.9"))), Is.Null);

    [Test]
    public void The_signed_webhook_receiver_takes_posts_from_anywhere_on_a_served_name() =>
        Assert.That(
            Tokenless().Check(new ServeRequest("POST", "/webhooks/heygen", "http", "127.0.0.1:5080", null, null, "application/json", IPAddress.Parse("192.0.2.1"))),
            Is.Null);

    [Test]
    public void The_review_page_of_a_campaign_is_never_another_campaigns_whose_name_it_begins()
    {
        using var folder = new TempFolder();
        var agent = folder.Write("welcome-agent-20261206T010000Z-run.html", "agent");
        var dry = folder.Write("welcome-20261206T020000Z-dry-run.html", "dry");
        File.SetLastWriteTimeUtc(agent, new DateTime(2026, 12, 6, 1, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(dry, new DateTime(2026, 12, 6, 2, 0, 0, DateTimeKind.Utc));

        Assert.That(ServePages.LatestReviewPage(folder.Path, "welcome"), Is.Null, "only welcome-agent's run and a dry run exist");
        var own = folder.Write("welcome-20261205T000000Z-run-2.html", "welcome");
        Assert.That(ServePages.LatestReviewPage(folder.Path, "welcome"), Is.EqualTo(own));
        Assert.That(ServePages.LatestReviewPage(folder.Path, "welcome-agent"), Is.EqualTo(agent));
    }
}
