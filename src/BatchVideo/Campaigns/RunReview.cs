using BatchVideo.Ledger;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Campaigns;

/// <summary>The review page's rows of a run, gathered once the run has settled.</summary>
internal static partial class RunReview
{
    /// <summary>
    /// The review page's rows (before write-back, while the source reads as it did): from the first rows
    /// the feed kept when they are the rows the page shows, else from one more read of the source (a table
    /// run; a run that stopped reading early; a sample's page beyond its first rows). A page that cannot be
    /// gathered is logged and left out, never fatal to the run it describes.
    /// </summary>
    public static async Task CollectAsync(RunState state, FeedResult feed, LedgerStore ledger, ILogger logger)
    {
        try
        {
            var problems = state.Progress.Problems.ToList();
            var limit = state.Report.ReviewRowLimit;
            var sendOnly = state.Run.Gate is { Refusal: null };
            var pages = state.Plan.Sends ? await Pages.CampaignPages.ReadAsync(ledger, state.Run.Campaign, state.Run.PagesAt is not null, state.Run.PagesAt, CancellationToken.None) : null;
            state.Report.PageTotals = pages is null ? null : await pages.TotalsAsync(CancellationToken.None);
            var collector = new ReviewCollector(state.Run, ledger) { RunStartedAt = state.Report.StartedAt, Pages = pages };
            var kept = feed.FirstRows.Count;
            var seenAll = !state.Plan.ClaimsTable
                && (sendOnly ? feed.ReadToEnd && kept < limit : feed.ReadToEnd || kept >= limit);
            state.Report.ReviewRows = seenAll
                ? await collector.CollectAsync(problems, limit, feed.FirstRows, CancellationToken.None, sendOnly)
                : await collector.CollectAsync(problems, limit, CancellationToken.None, sendOnly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Sources.SourceException or System.Data.Common.DbException)
        {
            LogReviewFailed(logger, e, state.Run.Campaign);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The review page of campaign {Campaign} could not be gathered")]
    private static partial void LogReviewFailed(ILogger logger, Exception exception, string campaign);
}
