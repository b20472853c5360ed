using BatchVideo.Ledger;
using BatchVideo.Pages;

namespace BatchVideo.Tests.Support;

/// <summary>
/// A test's view of a small campaign's page engagement, every recipient at once: read through the ledger's own paged
/// reader (the product never gathers a whole campaign; a test of a few rows may).
/// </summary>
internal static class LedgerEngagement
{
    /// <summary>Every recipient of the campaign with a page and a finished video, by recipient key.</summary>
    public static async Task<IReadOnlyDictionary<string, Engagement>> ReadEngagementAsync(this LedgerStore ledger, string campaign, CancellationToken ct)
    {
        var all = new Dictionary<string, Engagement>(StringComparer.Ordinal);
        // Pages of 7: a test of 20 rows reads three, so the paging by key is exercised wherever engagement is asserted.
        await foreach (var page in ledger.ReadEngagementPagesAsync(campaign, EngagementSelection.Every, pageSize: 7, ct))
        {
            foreach (var engagement in page)
            {
                all.Add(engagement.RecipientKey, engagement);
            }
        }

        return all;
    }
}
