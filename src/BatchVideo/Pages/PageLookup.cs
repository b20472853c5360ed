using BatchVideo.Ledger;

namespace BatchVideo.Pages;

/// <summary>A live page token and what its page shows: the recipient's completed entry and the texts rendered from their row.</summary>
public sealed record PageLookup(string Token, LedgerEntry Entry, PageTexts Texts)
{
    public string Campaign => Entry.Campaign;

    public string RecipientKey => Entry.RecipientKey;
}

/// <summary>
/// A page's heading and call to action, rendered from the recipient's row by the campaign's
/// <c>Pages:Heading</c>, <c>Pages:CtaText</c> and <c>Pages:CtaUrl</c> templates; null where not configured.
/// Plain text: the page HTML-encodes every one.
/// </summary>
public sealed record PageTexts(string? Heading, string? CtaText, string? CtaUrl)
{
    public static PageTexts None { get; } = new(null, null, null);

    /// <summary>
    /// The recipient's name from the campaign's <c>Pages:NameColumn</c> (trimmed, at most
    /// <see cref="PageTextRenderer.MaxNameLength"/> characters), for the <c>first_view</c> notification only: never
    /// shown on the page, never logged. Null when the campaign names no column or the cell is empty.
    /// </summary>
    public string? Name { get; init; }
}
