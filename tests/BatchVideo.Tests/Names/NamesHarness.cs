using System.Text.Json.Nodes;
using BatchVideo.Campaigns;
using BatchVideo.Cli;
using BatchVideo.Names;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Tests.Names;

/// <summary>Runs <c>names</c> in this process through the host the CLI builds, against a harness's sandbox.</summary>
internal static class NamesHarness
{
    /// <summary>The twelve first names of the "60 rows, 12 names" promise: plain, accented, long, CJK, mixed.</summary>
    public static readonly string[] TwelveNames =
    [
        "Ann", "Bob", "Siobhan", "Zoë", "Nguyễn", "李小龍", "Maximilianus-Alexander", "Olu", "Dmitri", "Aoife", "Xochitl", "Ngaio",
    ];

    /// <summary>60 rows whose first names cycle through <see cref="TwelveNames"/> (each carried by 5 rows).</summary>
    public static string WriteSixtyRows(PipelineHarness harness) =>
        harness.WriteCsv(60, firstName: i => TwelveNames[(i - 1) % TwelveNames.Length]);

    /// <summary>The harness's campaign with <c>Pronounce: ["first_name"]</c>, and <paramref name="change"/>.</summary>
    public static void Configure(PipelineHarness harness, Action<JsonObject>? change = null) =>
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["welcome"]!["Pronounce"] = new JsonArray("first_name");
            change?.Invoke(c["Campaigns"]!["welcome"]!.AsObject());
        });

    public static async Task<NamesOutcome> RunAsync(PipelineHarness harness, string csv, double? maxSpend = null, string? campaign = null)
    {
        var (configuration, baseDirectory) = CliConfiguration.Load(harness.ConfigPath, new Dictionary<string, string?>());
        using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, _ => { });
        await host.StartAsync();
        var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(
            new RunRequest(campaign, null, (key, columns) => CsvContactSource.Open(csv, key, columns)), CancellationToken.None);
        var outcome = await host.Services.GetRequiredService<SpeechPreviewer>().RunAsync(prepared, maxSpend, CancellationToken.None);
        await host.StopAsync(CancellationToken.None);
        return outcome;
    }
}
