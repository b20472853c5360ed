using System.CommandLine;
using BatchVideo.Campaigns;
using BatchVideo.Sources;
using BatchVideo.WriteBack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo refresh</c>: renews expiring signed links (or missing downloads) and writes them back.</summary>
internal static class RefreshCommand
{
    public static Command Create()
    {
        var csv = new Option<string>("--csv") { Description = "The CSV the campaign wrote back to.", Required = true };
        var campaign = new Option<string?>("--campaign") { Description = "Campaign name from the configuration (default: DefaultCampaign)." };
        var key = new Option<string?>("--key") { Description = "Column that identifies a recipient (default: the campaign's KeyColumn)." };
        var output = new Option<string?>("--out") { Description = "Write the results to this file instead of updating the CSV in place." };
        var within = new Option<TimeSpan>("--within")
        {
            Description = "Renew signed links that expire within this time (default 2.00:00:00, two days).",
            DefaultValueFactory = _ => TimeSpan.FromDays(2),
        };
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var sandbox = SandboxSession.Option("Refresh the links of --sandbox runs (the sandbox account and ledger; results into <csv>.sandbox.csv unless --out).");
        var command = new Command("refresh", "Renew expiring signed video links (UrlField: signed) or fetch missing downloads (UrlField: download), then write back.")
        {
            csv, campaign, key, output, within, config, sandbox,
        };
        command.SetAction((parse, ct) => RefreshAsync(
            parse.GetRequiredValue(csv), parse.GetValue(campaign), parse.GetValue(key), parse.GetValue(output), parse.GetValue(within), parse.GetValue(config), parse.GetValue(sandbox), ct));
        return command;
    }

    private static async Task<int> RefreshAsync(string csv, string? campaign, string? key, string? output, TimeSpan within, string? configPath, bool sandbox, CancellationToken ct)
    {
        try
        {
            await using var account = await SandboxSession.OpenIfAsync(sandbox, configPath, ct);
            var (configuration, baseDirectory) = CliConfiguration.Load(configPath, account?.Overrides() ?? []);
            output ??= sandbox ? SandboxResults.CopyOf(csv) : null;
            using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Information, onlyErrors: false);
            await host.StartAsync(ct);
            var csvPath = Path.GetFullPath(csv);
            var outPath = output is null ? null : Path.GetFullPath(output);
            using var fileLock = SourceLock.Acquire(outPath ?? csvPath);
            var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(
                new RunRequest(campaign, key, (keyColumn, columns) => CsvContactSource.Open(csvPath, keyColumn, columns, outPath)),
                ct);
            if (WriteBackLink.WritesPageLinks(prepared.Options))
            {
                Console.WriteLine($"Campaign {prepared.Campaign} writes page links, which do not expire: nothing to renew (rows written earlier with signed links get their page link now).");
            }

            var summary = await host.Services.GetRequiredService<LinkRefresher>().RefreshAsync(prepared, within, ct);
            Console.WriteLine($"Campaign {prepared.Campaign}: {summary.Checked} videos checked, {summary.Renewed} links renewed, {summary.Downloaded} downloaded.");
            foreach (var problem in summary.Problems)
            {
                Console.WriteLine("  " + problem);
            }

            Console.WriteLine($"Results written to {summary.WrittenTo}");
            await host.StopAsync(CancellationToken.None);
            return summary.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.RowsNeedAttention;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return CliErrors.Report(e);
        }
    }
}
