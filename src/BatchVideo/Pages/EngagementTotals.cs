namespace BatchVideo.Pages;

/// <summary>
/// A campaign's page numbers, as the review and status pages show them: how many recipients have a page
/// (<paramref name="Sent"/>), how many opened it at least once, watched at least half, and clicked the call to action.
/// </summary>
public sealed record EngagementTotals(long Sent, long Opened, long WatchedHalf, long Clicked)
{
    /// <summary>The totals of every recipient's engagement (each counted once, whatever their number of views).</summary>
    public static EngagementTotals Of(IEnumerable<Engagement> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        long sent = 0, opened = 0, watchedHalf = 0, clicked = 0;
        foreach (var e in recipients)
        {
            sent++;
            opened += e.Views > 0 ? 1 : 0;
            watchedHalf += e.WatchedPercent >= 50 ? 1 : 0;
            clicked += e.CtaClickedAt is null ? 0 : 1;
        }

        return new EngagementTotals(sent, opened, watchedHalf, clicked);
    }

    /// <summary>"20 sent, 3 opened, 1 watched half, 0 clicked".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Sent:N0} sent, {Opened:N0} opened, {WatchedHalf:N0} watched half, {Clicked:N0} clicked");
}
