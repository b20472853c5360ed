using BatchVideo.Campaigns;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BatchVideo.Scheduling;

/// <summary>
/// One scheduled (or triggered) run of a table campaign: it submits every pending row and returns; the
/// completion job follows the videos. Never two at once for one campaign, even across a cluster.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class CampaignJob(
    CampaignLoader loader,
    CampaignRunner runner,
    Microsoft.Extensions.Options.IOptions<BatchVideoOptions> options,
    Microsoft.Extensions.Options.IOptions<ServeOptions> serve,
    TimeProvider time,
    ILogger<CampaignJob> logger) : IJob
{
    public const string Group = "campaigns";

    public static JobKey KeyFor(string campaign) => new(campaign, Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var campaign = context.JobDetail.Key.Name;
        LogFiring(logger, campaign, context.Recovering);
        var until = SubmitUntil(options.Value.Resolve(campaign).Campaign.SubmitUntil, TimeZoneInfo.FindSystemTimeZoneById(serve.Value.TimeZone), time.GetUtcNow());
        var prepared = await loader.PrepareAsync(new RunRequest(campaign, null, null) { NoWait = true, SubmitUntil = until }, cancellationToken);
        var summary = await runner.RunAsync(prepared, new RunProgress(), cancellationToken);
        LogFinished(logger, campaign, summary.Read, summary.Rejected, summary.Submitted, summary.StoppedBecause is { } why ? "stopped early: " + why : "finished");
    }

    /// <summary>
    /// The end of the submission window that follows <paramref name="now"/>: the next time the clock in
    /// <paramref name="zone"/> reads <paramref name="until"/> (a run fired at 23:00 with 06:00 ends tomorrow).
    /// </summary>
    public static DateTimeOffset? SubmitUntil(TimeOnly? until, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (until is not { } end)
        {
            return null;
        }

        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        for (var i = 0; i < 3; i++)
        {
            var wall = day.AddDays(i).ToDateTime(end);
            var candidate = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            if (candidate > now)
            {
                return candidate;
            }
        }

        return now.AddDays(1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign} fired (recovering: {Recovering})")]
    private static partial void LogFiring(ILogger logger, string campaign, bool recovering);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign} run ended: read {Read}, rejected {Rejected}, submitted {Submitted}; {Outcome}")]
    private static partial void LogFinished(ILogger logger, string campaign, long read, long rejected, long submitted, string outcome);
}
