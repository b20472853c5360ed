using System.CommandLine;
using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo status</c>: per campaign, the last run, the next fire time, the ledger's counts and what is in flight.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var sandbox = SandboxSession.Option("Show the sandbox ledger (runs made with --sandbox).");
        var command = new Command("status", "Show each campaign's last run, next fire time, ledger counts and videos in flight.") { config, sandbox };
        command.SetAction(async (parse, ct) =>
        {
            var (configuration, baseDirectory) = CliConfiguration.Load(parse.GetValue(config), SandboxSession.LedgerOnly(parse.GetValue(sandbox)));
            using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, requireApiKey: false);
            var ledger = host.Services.GetRequiredService<LedgerStore>();
            var campaigns = host.Services.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Campaigns;
            var scheduling = host.Services.GetService<IOptions<ServeOptions>>()?.Value ?? new ServeOptions();
            var zone = TimeZoneInfo.FindSystemTimeZoneById(scheduling.TimeZone);
            await ledger.MigrateAsync(ct);
            Console.WriteLine($"Ledger: {ledger.Location}");
            var cap = host.Services.GetRequiredService<IOptions<HeyGen.HeyGenOptions>>().Value.MaxConcurrentJobs;
            // Every campaign's videos in flight hold the account's render slots together.
            Console.WriteLine($"Render slots: {await ledger.CountInFlightAsync(ct)} in use of {cap} (HeyGen:MaxConcurrentJobs), all campaigns");
            foreach (var (name, campaign) in campaigns)
            {
                var counts = await ledger.CountByStateAsync(name, ct);
                var last = await ledger.LastRunAsync(name, ct);
                Console.WriteLine();
                Console.WriteLine($"{name}  ({(campaign.Source is null ? "CSV, run by hand" : campaign.Source.Table)})");
                Console.WriteLine($"  schedule      {campaign.Schedule ?? "none"}{NextFire(campaign.Schedule, zone)}");
                // A stop reason may quote a key or a cell: printed inert.
                Console.WriteLine(ConsoleText.Inert(last is null
                    ? "  last run      never"
                    : $"  last run      {Time(last.StartedAt)} → {(last.FinishedAt is { } end ? Time(end) : "running")}  read {last.ReadRows}, rejected {last.Rejected}, submitted {last.Submitted}, completed {last.Completed}, failed {last.Failed}{(last.StoppedBecause is null ? "" : $"; stopped: {last.StoppedBecause}")}"));
                Console.WriteLine($"  ledger        {(counts.Count == 0 ? "empty" : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")))}");
                Console.WriteLine($"  in flight     {counts.GetValueOrDefault(LedgerState.Submitted)} rendering, {counts.GetValueOrDefault(LedgerState.Submitting)} awaiting an answer");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string NextFire(string? cron, TimeZoneInfo zone)
    {
        if (cron is not { Length: > 0 })
        {
            return "";
        }

        var expression = new CronExpression(cron, zone);
        return expression.GetNextValidTimeAfter(TimeProvider.System.GetUtcNow()) is { } next ? $"  (next {next.ToOffset(zone.GetUtcOffset(next)):yyyy-MM-dd HH:mm zzz})" : "";
    }

    private static string Time(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
