using BatchVideo.Ledger;

namespace BatchVideo.Pages;

/// <summary>
/// The pages of some recipients of a campaign, with what each recipient did: a write-back's batch of rows, or the rows a
/// review page shows, read together (<see cref="CampaignPages.OfAsync"/>), never the whole campaign.
/// </summary>
public sealed class RecipientPages
{
    private readonly IReadOnlyDictionary<string, Engagement> byKey;
    private readonly Uri publicBase;
    private readonly Func<LedgerEntry, Uri, Uri?> poster;

    internal RecipientPages(IReadOnlyDictionary<string, Engagement> byKey, Uri publicBase, Func<LedgerEntry, Uri, Uri?> poster)
    {
        this.byKey = byKey;
        this.publicBase = publicBase;
        this.poster = poster;
    }

    /// <summary>Pages built from known engagement, with HeyGen's images as posters (tests, and callers that already read it).</summary>
    internal static RecipientPages Of(IReadOnlyDictionary<string, Engagement> byKey, Uri publicBase) =>
        new(byKey, publicBase, CampaignPages.HeyGenPoster);

    /// <summary>What the recipient of a ledger key did, or null when they have no page (or were not among the keys read).</summary>
    public Engagement? EngagementOf(string key) => byKey.GetValueOrDefault(key);

    /// <summary>The recipient's page, or null when their video has none (not completed, or not among the keys read).</summary>
    public RecipientPage? For(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.State != LedgerState.Completed || !byKey.TryGetValue(entry.RecipientKey, out var engagement))
        {
            return null;
        }

        var url = PageLinks.Url(publicBase, engagement.PageToken);
        return new RecipientPage(url, poster(entry, url), engagement);
    }
}
