using BatchVideo.Ledger;
using BatchVideo.Sources;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Campaigns;

/// <summary>
/// The write-back stage: what the ledger holds for each recipient goes back into the source (video id,
/// status, the campaign's link), and the written rows are marked in the ledger. A failed write-back
/// stops the run with a reason; every result stays in the ledger for the next run to write.
/// </summary>
internal sealed partial class RunWriteBack(LedgerStore ledger, Links.StorageOptions storage, ILogger logger)
{
    /// <summary>Writes the run's source back; the file or table written, or null when it failed.</summary>
    public async Task<string?> WriteAsync(RunState state)
    {
        var run = state.Run;
        try
        {
            var pages = await Pages.CampaignPages.ForWriteBackAsync(ledger, run, storage, CancellationToken.None);
            var result = await run.Source.WriteBackAsync(
                run.LookupIn(ledger, e => ToWriteBack(e, run.Options, storage, pages)),
                CancellationToken.None);
            await ledger.MarkWrittenBackAsync(run.Campaign, run.LedgerKeys(result.WrittenKeys), CancellationToken.None);
            await (pages?.WriteToTableAsync(ledger, run, run.LedgerKeys(result.WrittenKeys), CancellationToken.None) ?? Task.CompletedTask);
            return result.Target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SourceException)
        {
            // The reason is one sentence for the operator; the stack trace is for a developer, at Debug only.
            LogWriteBackFailed(logger, run.Source.Name, e.Message);
            LogWriteBackDetail(logger, e, run.Source.Name);
            state.Stop($"writing back to {run.Source.Name} failed ({e.Message}); every result is kept in the ledger and a rerun writes it back");
            return null;
        }
    }

    /// <summary>The cells written back for a ledger entry: video id, status (HeyGen's while rendering), and the campaign's link.</summary>
    /// <param name="pages">The campaign's recipient pages, when it has pages and names a page column.</param>
    internal static WriteBackValues ToWriteBack(LedgerEntry entry, CampaignOptions campaign, Links.StorageOptions storage, Pages.CampaignPages? pages = null) => new(
        entry.VideoId,
        entry.State switch
        {
            LedgerState.Submitted => entry.VideoStatus ?? "submitted",
            _ => entry.State,
        },
        Links.WriteBackLink.For(entry, campaign.UrlField, storage))
    {
        Facts = WriteBackFacts.Of(entry, campaign.Columns, pages?.For(entry)),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Write-back to {Source} failed: {Reason}")]
    private static partial void LogWriteBackFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Write-back to {Source} failed (detail)")]
    private static partial void LogWriteBackDetail(ILogger logger, Exception exception, string source);
}
