namespace BatchVideo.Pages;

/// <summary>
/// What one recipient did with their page, as the ledger counts it: a view is an <c>opened</c> beacon sent by the
/// page's own script, so fetches that run no script (unfurlers, mail scanners, curl) are not views.
/// </summary>
/// <param name="WatchedPercent">The furthest progress mark reached: 0, 25, 50, 75 or 100.</param>
public sealed record Engagement(
    string Campaign,
    string RecipientKey,
    string PageToken,
    int Views,
    DateTimeOffset? FirstViewedAt,
    int WatchedPercent,
    DateTimeOffset? CtaClickedAt);

/// <summary>Which recipients with a page and a finished video a paged read of the ledger returns.</summary>
public enum EngagementSelection
{
    /// <summary>Every one, revoked pages included (their history stays): a table's page columns, <c>refresh</c>.</summary>
    Every,

    /// <summary>Those who did something (a view, a progress mark, a click): serve's write-back every minute.</summary>
    Active,

    /// <summary>Those whose page is live (not revoked): <c>pages list</c>.</summary>
    Live,
}
