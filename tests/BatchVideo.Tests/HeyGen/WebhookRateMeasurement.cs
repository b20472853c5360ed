using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BatchVideo.Cli;
using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Webhooks;
using BatchVideo.Ledger;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BatchVideo.Tests.HeyGen;

/// <summary>Measurements, run by hand: how many deliveries a second the receiver applies.</summary>
[TestFixture]
[Explicit("Measurement: prints webhook handling rates.")]
public sealed class WebhookRateMeasurement
{
    private const string Secret = "whsec_measure";
    private const int Videos = 5000;

    [Test]
    public async Task Measure_webhook_handling_rate()
    {
        using var folder = new TempFolder();
        var ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={folder.File("ledger.db")}", TimeProvider.System);
        await ledger.MigrateAsync(CancellationToken.None);
        for (var i = 0; i < 2 * Videos; i++)
        {
            await ledger.TryBeginSubmissionAsync("welcome", $"C-{i}", $"k{i}", $"m{i}", CancellationToken.None);
            await ledger.MarkSubmittedAsync("welcome", $"C-{i}", $"vid-{i}", "waiting", CancellationToken.None);
        }

        var options = Options.Create(new HeyGenOptions { ApiKey = "k", WebhookSecret = Secret });
        var processor = new WebhookProcessor(new WebhookVerifier(options, TimeProvider.System), ledger, options, TimeProvider.System, NullLogger<WebhookProcessor>.Instance);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Videos; i++)
        {
            var (body, headers) = Delivery(i);
            await processor.HandleAsync(body, headers, CancellationToken.None);
        }

        var inProcess = Videos / clock.Elapsed.TotalSeconds;

        await using var receiver = await WebhookSink.StartAsync(
            configure: app => app.MapHeyGenWebhooks("/heygen"),
            services: s => s.AddLogging().AddSingleton<TimeProvider>(TimeProvider.System).AddSingleton(ledger).AddSingleton(options)
                .AddSingleton<WebhookVerifier>().AddSingleton<WebhookProcessor>());
        using var http = new HttpClient { BaseAddress = receiver.BaseAddress };
        clock.Restart();
        var next = Videos - 1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < 2 * Videos)
            {
                var (body, headers) = Delivery(i);
                using var request = new HttpRequestMessage(HttpMethod.Post, "heygen") { Content = new ByteArrayContent(body) };
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }));
        var overHttp = Videos / clock.Elapsed.TotalSeconds;
        var completed = (await ledger.CountByStateAsync("welcome", CancellationToken.None))[LedgerState.Completed];

        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"in process, one at a time: {inProcess:0} deliveries/s; over HTTP, 8 concurrent: {overHttp:0} deliveries/s; completed {completed}"));
        Assert.That(completed, Is.EqualTo(2 * Videos));
    }

    private static (byte[] Body, Dictionary<string, string> Headers) Delivery(int i)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"event_type":"avatar_video.success","event_data":{"video_id":"vid-{{{i}}}","url":"https://files.example/{{{i}}}.mp4?expires=1800000000","video_page_url":"https://app.heygen.com/video/vid-{{{i}}}","callback_id":null}}""");
        return (body, new Dictionary<string, string>
        {
            ["Heygen-Signature"] = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)),
            ["Heygen-Timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["Heygen-Event-Id"] = "evt_" + i.ToString(CultureInfo.InvariantCulture),
        });
    }
}
