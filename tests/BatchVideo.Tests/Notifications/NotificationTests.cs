using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Notifications;

/// <summary>Run events posted to a local incoming-webhook receiver: each once, and never at the run's expense.</summary>
[TestFixture]
[Category("Integration")]
public sealed class NotificationTests
{
    [Test]
    public async Task Finished_run_posts_once_with_campaign_counts_money_and_report()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var harness = await PipelineHarness.StartAsync();
        Notify(harness, sink.Url);
        harness.WriteCsv(3);

        var summary = await harness.RunAsync(harness.Folder.File("contacts.csv"));

        var message = Single(sink);
        Assert.That(summary.ExitCode, Is.Zero);
        Assert.That(message.GetProperty("event").GetString(), Is.EqualTo("run_finished"));
        Assert.That(message.GetProperty("text").GetString(), Does.StartWith("BatchVideo campaign welcome finished. 3 rows read: 3 completed")
            .And.Contain("; about $").And.Contain("Report: " + summary.ReviewPagePath));
        Assert.That(message.GetProperty("counts").GetProperty("completed").GetInt64(), Is.EqualTo(3));
        Assert.That(message.GetProperty("estimatedCredits").GetDouble(), Is.GreaterThan(0));
        Assert.That(message.GetProperty("report").GetString(), Is.EqualTo(summary.ReportPath));
    }

    [Test]
    public async Task Money_cap_stop_posts_once_as_stopped()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        Notify(harness, sink.Url);
        harness.WriteCsv(20);

        var summary = await harness.RunAsync(harness.Folder.File("contacts.csv"), maxCredits: 0.5);

        var message = Single(sink);
        Assert.That(summary.Halted, Is.True);
        Assert.That(message.GetProperty("event").GetString(), Is.EqualTo("run_stopped"));
        Assert.That(message.GetProperty("text").GetString(), Does.Contain("stopped: --max-spend $0.50 reached").And.Contain("; about $").And.Not.Contain(".."));
    }

    [Test]
    public async Task Preflight_refusal_posts_once_as_refused()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var harness = await PipelineHarness.StartAsync();
        Notify(harness, sink.Url, c => c["Campaigns"]!["welcome"]!["AvatarId"] = "avatar_typo");
        harness.WriteCsv(3);

        var summary = await harness.RunAsync(harness.Folder.File("contacts.csv"));

        var message = Single(sink);
        Assert.That(summary.ExitCode, Is.EqualTo(2));
        Assert.That(message.GetProperty("event").GetString(), Is.EqualTo("run_refused"));
        Assert.That(message.GetProperty("text").GetString(), Does.Contain("refused before any video was created").And.Contain("avatar_typo"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [Test]
    public async Task Dry_run_posts_nothing()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var harness = await PipelineHarness.StartAsync();
        Notify(harness, sink.Url);
        harness.WriteCsv(3);

        await harness.RunAsync(harness.Folder.File("contacts.csv"), dryRun: true);

        Assert.That(sink.Received, Is.Empty);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Dead_or_failing_receiver_changes_nothing(bool dead)
    {
        await using var sink = await WebhookSink.StartAsync(answer: _ => 500);
        await using var harness = await PipelineHarness.StartAsync();
        Notify(harness, dead ? new Uri($"http://127.0.0.1:{ClosedPort()}/hook") : sink.Url);
        harness.WriteCsv(3);

        var summary = await harness.RunAsync(harness.Folder.File("contacts.csv"));

        Assert.That((summary.ExitCode, summary.Completed, summary.StoppedBecause), Is.EqualTo((0, 3L, (string?)null)));
        Assert.That(summary.ReportPath, Is.Not.Null);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(3));
        Assert.That(sink.Received, Has.Count.EqualTo(dead ? 0 : 1), "a refused post is not retried into a second message");
    }

    [Test]
    public async Task Failed_notification_is_logged_without_the_url()
    {
        await using var harness = await PipelineHarness.StartAsync();
        Notify(harness, new Uri($"http://127.0.0.1:{ClosedPort()}/services/T000/SECRET-PATH-42"));
        harness.WriteCsv(2);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--verbosity", "detailed", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Error);
        Assert.That(result.Output + result.Error, Does.Contain("Notification run_finished of campaign welcome could not be sent"));
        Assert.That(result.Output + result.Error, Does.Not.Contain("SECRET-PATH-42"));
    }

    private static void Notify(PipelineHarness harness, Uri url, Action<System.Text.Json.Nodes.JsonObject>? change = null) =>
        harness.WriteConfig(c =>
        {
            c["Notifications"] = new System.Text.Json.Nodes.JsonObject { ["WebhookUrl"] = url.AbsoluteUri, ["Timeout"] = "00:00:03" };
            change?.Invoke(c);
        });

    private static JsonElement Single(WebhookSink sink)
    {
        Assert.That(sink.Received, Has.Count.EqualTo(1), "exactly one notification");
        var received = sink.Received.Single();
        Assert.That(received.Header("content-type"), Does.StartWith("application/json"));
        return JsonDocument.Parse(received.Body).RootElement;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
