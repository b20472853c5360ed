using Microsoft.Extensions.Logging;

namespace BatchVideo.Campaigns;

/// <summary>The review page's rows, gathered once the run has settled.</summary>
public sealed partial class CampaignRunner
{
    /// <summary>
    /// Reads the source once more for the review page (before write-back, while it reads as it did);
    /// a page that cannot be gathered is logged and left out, never fatal to the run it describes.
    /// </summary>
    private async Task CollectReviewAsync(RunState state)
    {
        try
        {
            var problems = state.Progress.Problems.ToList();
            state.Report.ReviewRows = await new ReviewCollector(state.Run, ledger).CollectAsync(
                problems, state.Report.ReviewRowLimit, CancellationToken.None, sendOnly: state.Run.Gate is { Refusal: null });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Sources.SourceException or System.Data.Common.DbException)
        {
            LogReviewFailed(logger, e, state.Run.Campaign);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The review page of campaign {Campaign} could not be gathered")]
    private static partial void LogReviewFailed(ILogger logger, Exception exception, string campaign);
}
