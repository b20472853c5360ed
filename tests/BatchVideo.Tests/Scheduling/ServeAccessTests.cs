using System.Net;
using System.Net.Http.Headers;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using BatchVideo.Cli;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Scheduling;

/// <summary><c>serve</c>'s door: a bearer token beyond loopback, open webhook and health, read-only pages.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ServeAccessTests
{
    private const string Token = "test-admin-token-0123456789abcdef";

    [TestCase("http://127.0.0.1:5080", null)]
    [TestCase("http://localhost:5080", null)]
    [TestCase("http://[::1]:5080", null)]
    [TestCase("http://0.0.0.0:5080", "http://0.0.0.0:5080")]
    [TestCase("http://*:5080", "http://*:5080")]
    [TestCase("http://127.0.0.1:5080;http://+:8080", "http://+:8080")]
    [TestCase("http://192.168.1.20:5080", "http://192.168.1.20:5080")]
    [TestCase("http://videos.example.com", "http://videos.example.com")]
    public void Loopback_is_told_from_every_other_address(string urls, string? exposed) =>
        Assert.That(ServeAccess.BeyondLoopback(urls), Is.EqualTo(exposed));

    [Test]
    public async Task Serve_beyond_loopback_without_a_token_refuses_to_start()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var result = await harness.RunCliAsync("serve", "--config", harness.ConfigPath, "--urls", $"http://0.0.0.0:{ServeNode.FreePort()}");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Serve:AdminToken"));
    }

    [Test]
    public async Task Tokenless_trigger_from_outside_is_refused_while_webhooks_and_health_stay_open()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Serve"] = new System.Text.Json.Nodes.JsonObject { ["AdminToken"] = Token });
        var port = ServeNode.FreePort();
        // "Outside": the machine's own network address when it has one, not loopback.
        var address = new Uri($"http://{OutsideAddress()}:{port}/");
        await using var node = await ServeNode.StartAsync(harness, address, listen: $"http://0.0.0.0:{port}");
        using var http = new HttpClient { BaseAddress = address };

        var trigger = await http.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null);
        var status = await http.GetAsync(new Uri("/", UriKind.Relative));
        var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        var webhook = await http.PostAsync(new Uri("webhooks/heygen", UriKind.Relative), new StringContent("{}"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var withToken = await http.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        var wrongToken = await http.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null);

        Assert.That(trigger.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(trigger.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the status page too");
        Assert.That(wrongToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await webhook.Content.ReadAsStringAsync(), Does.Not.Contain("bearer token"), "the signed receiver answers for itself");
        Assert.That(withToken.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "past the door: a CSV campaign has no job to trigger");
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero, "nothing was started");
        Assert.That(node.Log, Does.Not.Contain(Token), "the token is never logged");
    }

    [Test]
    public async Task Status_page_and_latest_review_page_are_served()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);
        var summary = await harness.RunAsync(harness.Folder.File("contacts.csv"));
        await using var node = await ServeNode.StartAsync(harness);
        using var http = new HttpClient { BaseAddress = node.Address };

        var status = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var review = await http.GetAsync(new Uri("campaigns/welcome/review", UriKind.Relative));
        var unknown = await http.GetAsync(new Uri("campaigns/..%2F..%2Fetc/review", UriKind.Relative));

        Assert.That(status, Does.Contain("<td>welcome</td>").And.Contain("completed 3").And.Contain("/campaigns/welcome/review"));
        Assert.That(review.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(review.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await review.Content.ReadAsStringAsync(), Is.EqualTo(await File.ReadAllTextAsync(summary.ReviewPagePath!)));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static string OutsideAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString()
        ?? "127.0.0.1";
}
