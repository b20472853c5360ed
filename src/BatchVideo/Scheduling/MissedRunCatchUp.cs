using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace BatchVideo.Scheduling;

/// <summary>
/// The in-memory job store forgets everything when the process stops, so it cannot see that the machine
/// was off at 02:00. The ledger remembers each campaign's last run: when a scheduled fire time passed
/// since then, the campaign runs once now (never once per missed fire), as the database store's
/// fire-and-proceed misfire policy does.
/// </summary>
internal sealed partial class MissedRunCatchUp(
    ISchedulerFactory schedulers,
    LedgerStore ledger,
    IOptions<BatchVideoOptions> campaigns,
    IOptions<ServeOptions> serve,
    TimeProvider time,
    ILogger<MissedRunCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(serve.Value.TimeZone);
        await ledger.MigrateAsync(stoppingToken);
        var scheduler = await schedulers.GetScheduler(stoppingToken);
        foreach (var (name, campaign) in campaigns.Value.Campaigns.Where(c => c.Value is { Source: not null, Schedule.Length: > 0 }))
        {
            var last = await ledger.LastRunAsync(name, stoppingToken);
            if (last is null)
            {
                continue; // never ran here: nothing was missed, the schedule starts now
            }

            var cron = new CronExpression(campaign.Schedule!, zone);
            var due = cron.GetNextValidTimeAfter(DateTimeOffset.FromUnixTimeMilliseconds(last.StartedAt));
            if (due is { } missed && missed < time.GetUtcNow())
            {
                LogCatchingUp(logger, name, missed);
                await scheduler.TriggerJob(CampaignJob.KeyFor(name), null!, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign} missed its run at {Missed}: running it once now")]
    private static partial void LogCatchingUp(ILogger logger, string campaign, DateTimeOffset missed);
}
