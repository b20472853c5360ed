using BatchVideo.Cli;
using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// The whole webhook path over HTTP: the sandbox signs and delivers, the receiver mounted with
/// MapHeyGenWebhooks verifies and writes the ledger, the next run writes back without polling.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class WebhookReceiverTests
{
    private static SandboxOptions Options(double dropRate = 0, double duplicateRate = 0) => new()
    {
        RenderTime = TimeSpan.FromMilliseconds(300),
        WebhookRetryDelay = TimeSpan.FromMilliseconds(50),
        WebhookDropRate = dropRate,
        WebhookDuplicateRate = duplicateRate,
        Seed = 11,
    };

    /// <summary>Registers an endpoint, then starts the receiver with its secret and points the endpoint at it.</summary>
    private static async Task<WebhookSink> StartReceiverAsync(PipelineHarness harness)
    {
        using var http = new HttpClient { BaseAddress = harness.Sandbox.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", "test-key");
        var client = new HeyGenClient(http);
        var endpoint = await client.RegisterWebhookAsync(new Uri("http://127.0.0.1:9/heygen"), ["avatar_video.success", "avatar_video.fail"], CancellationToken.None);
        harness.WriteConfig(c => c["HeyGen"]!["WebhookSecret"] = endpoint.Secret);
        var (configuration, baseDirectory) = CliConfiguration.Load(harness.ConfigPath, new Dictionary<string, string?>());
        var receiver = await WebhookSink.StartAsync(
            configure: app => app.MapHeyGenWebhooks("/heygen"),
            services: s => s.AddLogging().AddBatchVideo(configuration, baseDirectory));
        await client.UpdateWebhookAsync(endpoint.EndpointId, new Uri(receiver.BaseAddress, "heygen"), null, CancellationToken.None);
        return receiver;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            // A wait that quietly ran out would let the assertions after it pass on a half-done state.
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the sandbox's webhooks did not all go out within 20 s");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task Webhooks_complete_the_videos_and_the_rerun_writes_back_without_polling()
    {
        await using var harness = await PipelineHarness.StartAsync(Options(duplicateRate: 0.5));
        await using var receiver = await StartReceiverAsync(harness);
        var csv = harness.WriteCsv(12);

        var submitted = await harness.RunAsync(csv, noWait: true);
        await WaitUntilAsync(() => harness.Sandbox.Stats.WebhooksDelivered == 12);
        var polls = harness.Sandbox.Stats.StatusRequests;
        var rerun = await harness.RunAsync(csv);

        Assert.That(submitted.Submitted, Is.EqualTo(12));
        Assert.That(harness.Sandbox.Stats.WebhookDuplicates, Is.GreaterThan(0), "duplicates were sent");
        var counts = await harness.Ledger(TimeProvider.System).CountByStateAsync("welcome", CancellationToken.None);
        Assert.That(counts, Is.EqualTo(new Dictionary<string, int> { [LedgerState.Completed] = 12 }));
        Assert.That((rerun.AlreadyDone, rerun.Submitted), Is.EqualTo((12L, 0L)));
        Assert.That(harness.Sandbox.Stats.StatusRequests, Is.EqualTo(polls), "nothing was polled");
        Assert.That(File.ReadAllLines(csv).Skip(1), Is.All.Contains($",completed,{harness.Sandbox.BaseAddress}video/"));
    }

    [Test]
    public async Task A_lost_webhook_is_completed_by_polling()
    {
        await using var harness = await PipelineHarness.StartAsync(Options(dropRate: 0.5));
        await using var receiver = await StartReceiverAsync(harness);
        // Fewer rows than the account's ten render slots: none waits for a slot, so the no-wait run polls nothing
        // and the dropped webhooks' videos stay "submitted" until the rerun.
        var csv = harness.WriteCsv(8);

        await harness.RunAsync(csv, noWait: true);
        await WaitUntilAsync(() => harness.Sandbox.Stats.WebhooksDelivered + harness.Sandbox.Stats.WebhooksDropped == 8);
        var lost = harness.Sandbox.Stats.WebhooksDropped;
        var afterWebhooks = await harness.Ledger(TimeProvider.System).CountByStateAsync("welcome", CancellationToken.None);
        var rerun = await harness.RunAsync(csv);

        Assert.That(lost, Is.InRange(1, 7), "some lost, some delivered");
        Assert.That(afterWebhooks.GetValueOrDefault(LedgerState.Submitted), Is.EqualTo(lost));
        Assert.That((rerun.AlreadyDone, rerun.Completed, rerun.Submitted), Is.EqualTo((8 - lost, lost, 0L)));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(8));
    }

    [Test]
    public async Task Receiver_over_http_refuses_forged_unsigned_and_oversized_posts()
    {
        await using var harness = await PipelineHarness.StartAsync(Options());
        await using var receiver = await StartReceiverAsync(harness);
        using var http = new HttpClient { BaseAddress = receiver.BaseAddress };
        const string body = """{"event_type":"avatar_video.success","event_data":{"video_id":"v","url":"https://evil.example/v.mp4"}}""";

        using var forged = new HttpRequestMessage(HttpMethod.Post, "heygen") { Content = new StringContent(body) };
        forged.Headers.Add("Heygen-Signature", new string('a', 64));
        forged.Headers.Add("Heygen-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        forged.Headers.Add("Heygen-Event-Id", "evt_forged");
        using var forgedAnswer = await http.SendAsync(forged);
        using var unsigned = await http.PostAsync(new Uri("heygen", UriKind.Relative), new StringContent(body));
        using var oversized = await http.PostAsync(new Uri("heygen", UriKind.Relative), new ByteArrayContent(new byte[100 * 1024]));

        Assert.That((int)forgedAnswer.StatusCode, Is.EqualTo(401));
        Assert.That(await forgedAnswer.Content.ReadAsStringAsync(), Is.EqualTo("rejected: the signature does not match the body"));
        Assert.That((int)unsigned.StatusCode, Is.EqualTo(401));
        Assert.That((int)oversized.StatusCode, Is.EqualTo(413));
    }

    [Test]
    public async Task Receiver_answers_an_OPTIONS_probe_with_200()
    {
        await using var harness = await PipelineHarness.StartAsync(Options());
        await using var receiver = await StartReceiverAsync(harness);
        using var http = new HttpClient { BaseAddress = receiver.BaseAddress };

        using var probe = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "heygen"));

        Assert.That((int)probe.StatusCode, Is.EqualTo(200));
    }
}
