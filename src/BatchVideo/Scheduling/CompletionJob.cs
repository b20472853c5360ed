using BatchVideo.Campaigns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace BatchVideo.Scheduling;

/// <summary>
/// Renders take minutes to hours, so following them is its own recurring job: each pass asks HeyGen once
/// about every video in flight, records the finished ones and writes them back to their tables.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class CompletionJob(
    CampaignRunner runner,
    Links.LinkRefresher links,
    IOptions<BatchVideoOptions> options,
    IOptions<ServeOptions> serve,
    ILogger<CompletionJob> logger) : IJob
{
    public static readonly JobKey Key = new("completion", "system");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        foreach (var (name, campaign) in options.Value.Campaigns.Where(c => c.Value.Source is not null))
        {
            try
            {
                // Prepared once per pass (template, table schema, ledger migration) for both steps.
                var run = await runner.PrepareAsync(new RunRequest(name, null, null), cancellationToken);
                var summary = await runner.FollowUpAsync(run, cancellationToken, serve.Value.PollInFlight);
                if (campaign.UrlField == Links.UrlField.Download)
                {
                    // Webhooks record a video without fetching its file: store what is still missing, and write its location back.
                    await links.RefreshAsync(run, TimeSpan.Zero, cancellationToken);
                }

                if (summary.Completed + summary.Failed > 0)
                {
                    LogPass(logger, name, summary.Completed, summary.Failed, summary.StillRendering);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One campaign's trouble (its database is down) must not stop the others' completion.
                LogFailed(logger, e, name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Completion pass for {Campaign}: {Completed} completed, {Failed} failed, {Rendering} still rendering")]
    private static partial void LogPass(ILogger logger, string campaign, long completed, long failed, long rendering);

    [LoggerMessage(Level = LogLevel.Error, Message = "Completion pass for {Campaign} failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string campaign);
}
