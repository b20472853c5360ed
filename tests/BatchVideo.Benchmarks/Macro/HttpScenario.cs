using System.Diagnostics;
using System.Globalization;
using BatchVideo.HeyGen;
using BatchVideo.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// Creates alone, through the real client (resilience pipeline, rate limiter) and the sandbox over
/// loopback, with no ledger and no rendering: the ceiling the HTTP path puts on a whole run.
/// </summary>
internal static class HttpScenario
{
    public static async Task<IReadOnlyList<Figure>> RunAsync(int requests, PipelineSettings settings, CancellationToken ct)
    {
        using var workspace = new Workspace("http");
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero }, 0, ct);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(InProcessRun.Configuration(workspace, sandbox.BaseAddress, settings));
        builder.Services.AddBatchVideo(builder.Configuration, workspace.Path);
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<HeyGenClient>();
        var gcs = GcCounts.Now();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, requests), new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            await client.CreateVideoAsync(
                new CreateVideoRequest { AvatarId = "sandbox_avatar_anna", VoiceId = "sandbox_voice_en_warm", Script = "Hi Name" + key + "! Here is a short video.", Title = "Welcome [bv-" + key + "]" },
                "bench-" + key,
                token);
        });
        var throughClient = requests / clock.Elapsed.TotalSeconds;
        var clientGcs = GcCounts.Now() - gcs;

        // The same creates from a bare HttpClient: what loopback HTTP and the sandbox cost without our client's layers.
        using var bare = new HttpClient { BaseAddress = sandbox.BaseAddress };
        gcs = GcCounts.Now();
        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(requests + 1, requests), new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            using var message = new HttpRequestMessage(HttpMethod.Post, "v3/videos")
            {
                Content = new StringContent(
                    $$"""{"type":"avatar","avatar_id":"sandbox_avatar_anna","voice_id":"sandbox_voice_en_warm","script":"Hi Name{{key}}! Here is a short video.","title":"Welcome [bv-{{key}}]"}""",
                    System.Text.Encoding.UTF8,
                    "application/json"),
            };
            message.Headers.Add("x-api-key", "bench-key");
            message.Headers.Add("Idempotency-Key", "bench-" + key);
            using var response = await bare.SendAsync(message, token);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync(token);
        });
        var bareRate = requests / clock.Elapsed.TotalSeconds;
        return
        [
            Figure.Info("http", "creates through our client", throughClient, "req/s", $"{requests:#,0} creates, {settings.MaxConcurrency} in flight, GCs {clientGcs}"),
            Figure.Info("http", "creates through a bare HttpClient", bareRate, "req/s", $"the same, GCs {GcCounts.Now() - gcs}"),
        ];
    }
}

/// <summary>Garbage collections per generation, to tell a GC-bound run from a busy one.</summary>
internal readonly record struct GcCounts(int Gen0, int Gen1, int Gen2)
{
    public static GcCounts Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public static GcCounts operator -(GcCounts a, GcCounts b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Gen0}/{Gen1}/{Gen2}");
}
