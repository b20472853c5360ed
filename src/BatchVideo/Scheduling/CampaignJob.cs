using BatchVideo.Campaigns;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BatchVideo.Scheduling;

/// <summary>
/// One scheduled (or triggered) run of a table campaign: it submits every pending row and returns; the
/// completion job follows the videos. Never two at once for one campaign, even across a cluster.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class CampaignJob(CampaignRunner runner, ILogger<CampaignJob> logger) : IJob
{
    public const string Group = "campaigns";

    public static JobKey KeyFor(string campaign) => new(campaign, Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var campaign = context.JobDetail.Key.Name;
        LogFiring(logger, campaign, context.Recovering);
        var prepared = await runner.PrepareAsync(new RunRequest(campaign, null, null) { NoWait = true }, cancellationToken);
        var summary = await runner.RunAsync(prepared, new RunProgress(), cancellationToken);
        LogFinished(logger, campaign, summary.Read, summary.Rejected, summary.Submitted, summary.StoppedBecause);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign} fired (recovering: {Recovering})")]
    private static partial void LogFiring(ILogger logger, string campaign, bool recovering);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign} run ended: read {Read}, rejected {Rejected}, submitted {Submitted}; stopped: {Stopped}")]
    private static partial void LogFinished(ILogger logger, string campaign, long read, long rejected, long submitted, string? stopped);
}
