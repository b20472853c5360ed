using System.Diagnostics;
using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>How the pipeline is configured for one measured run.</summary>
internal sealed record PipelineSettings
{
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>The client's limit; 100,000 is the highest the options allow ("no limit").</summary>
    public double RequestsPerSecond { get; init; } = 100_000;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What one run did and how long its phases took.</summary>
internal sealed record RunTiming(RunSummary Summary, TimeSpan Total, TimeSpan AllSubmitted, TimeSpan AllFinished);

/// <summary>
/// The real pipeline in this process, built the way the CLI builds it (Generic Host, AddBatchVideo,
/// configuration), against a sandbox over loopback HTTP, with a SQLite ledger file.
/// </summary>
internal static class InProcessRun
{
    public static Dictionary<string, string?> Configuration(Workspace workspace, Uri sandbox, PipelineSettings settings) => new()
    {
        ["DefaultCampaign"] = "welcome",
        ["Campaigns:welcome:Template"] = "welcome.sbn",
        ["Campaigns:welcome:TitleTemplate"] = Workspace.Title,
        ["Campaigns:welcome:AvatarId"] = "sandbox_avatar_anna",
        ["Campaigns:welcome:VoiceId"] = "sandbox_voice_en_warm",
        ["Campaigns:welcome:KeyColumn"] = "id",
        ["HeyGen:BaseUrl"] = sandbox.AbsoluteUri,
        ["HeyGen:ApiKey"] = "bench-key",
        ["HeyGen:PollInterval"] = settings.PollInterval.ToString("c", CultureInfo.InvariantCulture),
        ["HeyGen:MaxConcurrency"] = settings.MaxConcurrency.ToString(CultureInfo.InvariantCulture),
        ["HeyGen:RequestsPerSecond"] = settings.RequestsPerSecond.ToString(CultureInfo.InvariantCulture),
        ["HeyGen:MaxRetries"] = "10",
        ["HeyGen:AttemptTimeout"] = settings.AttemptTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["Ledger:ConnectionString"] = $"Data Source={workspace.FilePath("ledger.db")}",
    };

    public static async Task<RunTiming> RunAsync(Workspace workspace, string csv, int rows, Uri sandbox, PipelineSettings settings, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Configuration(workspace, sandbox, settings));
        builder.Services.AddBatchVideo(builder.Configuration, workspace.Path);
        using var host = builder.Build();
        await host.StartAsync(ct);
        var runner = host.Services.GetRequiredService<CampaignRunner>();
        var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(new RunRequest(null, null, (key, columns) => CsvContactSource.Open(csv, key, columns)), ct);
        var progress = new RunProgress();
        var clock = Stopwatch.StartNew();
        var run = runner.RunAsync(prepared, progress, ct);
        TimeSpan? allSubmitted = null;
        TimeSpan? allFinished = null;
        while (!run.IsCompleted)
        {
            if (allSubmitted is null && progress.Submitted + progress.AlreadyDone + progress.Rejected >= rows)
            {
                allSubmitted = clock.Elapsed;
            }

            if (allFinished is null && progress.Completed + progress.Failed + progress.AlreadyDone + progress.Rejected >= rows)
            {
                allFinished = clock.Elapsed;
            }

            await Task.WhenAny(run, Task.Delay(5, ct));
        }

        var summary = await run;
        var total = clock.Elapsed;
        await host.StopAsync(CancellationToken.None);
        return new RunTiming(summary, total, allSubmitted ?? total, allFinished ?? total);
    }
}
