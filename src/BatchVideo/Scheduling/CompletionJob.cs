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
    CampaignLoader loader,
    CompletionPass pass,
    Ledger.LedgerStore ledger,
    IOptions<BatchVideoOptions> options,
    IOptions<ServeOptions> serve,
    ILogger<CompletionJob> logger) : IJob
{
    public static readonly JobKey Key = new("completion", "system");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        foreach (var (name, _) in options.Value.Campaigns.Where(c => c.Value.Source is not null))
        {
            try
            {
                // A campaign that has never sent a row has nothing to follow or write back: its table is not
                // opened (it may not exist yet, as the sample's crm-nightly before its first run), so serve
                // does not log an error every pass for a campaign nobody has started.
                if (!await ledger.HasEntriesAsync(name, cancellationToken))
                {
                    continue;
                }

                // Prepared once per pass (template, table schema, ledger migration).
                var run = await loader.PrepareAsync(new RunRequest(name, null, null), cancellationToken);
                var summary = await pass.RunAsync(run, serve.Value.PollInFlight, cancellationToken);

                if (summary.Completed + summary.Failed > 0)
                {
                    LogPass(logger, name, summary.Completed, summary.Failed, summary.Rendering);
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
