using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Sources;
using Microsoft.Extensions.Logging;

namespace BatchVideo.WriteBack;

/// <summary>
/// The write-back stage: what the ledger holds for each recipient goes back into the source (video id,
/// status, the campaign's link), and the written rows are marked in the ledger. A failed write-back
/// stops the run with a reason; every result stays in the ledger for the next run to write.
/// </summary>
internal sealed partial class RunWriteBack(LedgerStore ledger, Links.StorageOptions storage, ILogger logger)
{
    /// <summary>Writes the run's source back; the file or table written, or null when it failed (and the run stopped).</summary>
    public async Task<string?> WriteAsync(PreparedRun run, RunControl control)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(control);
        try
        {
            return await WriteAsync(ledger, run, storage, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SourceException)
        {
            // The reason is one sentence for the operator; the stack trace is for a developer, at Debug only.
            LogWriteBackFailed(logger, run.Source.Name, e.Message);
            LogWriteBackDetail(logger, e, run.Source.Name);
            control.Stop($"writing back to {run.Source.Name} failed ({e.Message}); every result is kept in the ledger and a rerun writes it back");
            return null;
        }
    }

    /// <summary>
    /// The one write-back of a run, a refresh and a completion pass alike: each key's values from the ledger
    /// (<see cref="ToWriteBack"/>) into the source, then the written keys marked in the ledger. Throws what the
    /// source throws; the file or table written.
    /// </summary>
    /// <param name="everyPage">
    /// A table's page columns for every row with a page (<c>refresh</c>), not only the rows just written and the
    /// recipients who did something (a run, serve's pass).
    /// </param>
    public static async Task<string?> WriteAsync(LedgerStore ledger, PreparedRun run, Links.StorageOptions storage, CancellationToken ct, bool everyPage = false)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(run);
        var pages = await Pages.CampaignPages.ForWriteBackAsync(ledger, run, storage, ct);
        var result = await run.Source.WriteBackAsync(run.LookupIn(ledger, (e, shown) => ToWriteBack(e, run.Options, storage, shown), pages), ct);
        // Lazily: a million-row file's written keys are held once (by the source, until its file is in place), not
        // copied into a second list and a set; marking one twice is harmless.
        var written = result.WrittenKeys.Select(run.KeyOf);
        await ledger.MarkWrittenBackAsync(run.Campaign, written, CancellationToken.None);
        await (pages?.WriteToTableAsync(run, everyPage ? null : written, ct) ?? Task.CompletedTask);
        return result.Target;
    }

    /// <summary>The cells written back for a ledger entry: video id, status (HeyGen's while rendering), and the campaign's link.</summary>
    /// <param name="pages">The recipient pages of the entry's batch, when the campaign has pages and names a page column.</param>
    internal static WriteBackValues ToWriteBack(LedgerEntry entry, CampaignOptions campaign, Links.StorageOptions storage, Pages.RecipientPages? pages = null) => new(
        entry.VideoId,
        entry.State switch
        {
            LedgerState.Submitted => entry.VideoStatus ?? "submitted",
            _ => entry.State,
        },
        WriteBackLink.For(entry, campaign.UrlField, storage))
    {
        Facts = WriteBackFacts.Of(entry, campaign.Columns, pages?.For(entry)),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Write-back to {Source} failed: {Reason}")]
    private static partial void LogWriteBackFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Write-back to {Source} failed (detail)")]
    private static partial void LogWriteBackDetail(ILogger logger, Exception exception, string source);
}
