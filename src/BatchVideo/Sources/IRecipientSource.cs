namespace BatchVideo.Sources;

/// <summary>
/// Where recipients come from and where their videos go back to: a CSV file or a CRM table.
/// The pipeline reads rows, and later asks the source to write back what the ledger holds.
/// </summary>
public interface IRecipientSource
{
    /// <summary>For messages: the file path or the table name.</summary>
    string Name { get; }

    /// <summary>Column names in source order.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>The column that identifies a recipient.</summary>
    string KeyColumn { get; }

    IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken ct);

    /// <summary>Writes each recipient's video id, status and URL back, as <paramref name="lookup"/> gives them.</summary>
    Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct);
}

/// <summary>One row as read: its values, or why it could not be read.</summary>
/// <param name="Line">Where the row starts, for messages (1 is the header line of a CSV file).</param>
/// <param name="RecordedVideoId">A video id the source already holds for the row (from an earlier write-back).</param>
public sealed record SourceRow(long Line, IReadOnlyList<string> Values, string? Problem, string? RecordedVideoId)
{
    public string Key(int keyIndex) => keyIndex < Values.Count ? Values[keyIndex].Trim() : "";
}

/// <summary>What the ledger says should be written back for a recipient.</summary>
public sealed record WriteBackValues(string? VideoId, string? Status, string? Url)
{
    /// <summary>The optional fact cells, in the order of the named <see cref="WriteBackColumns.Facts"/>.</summary>
    public IReadOnlyList<string?> Facts { get; init; } = [];
}

/// <summary>Looks up write-back values for a batch of keys; keys without an entry are absent from the result.</summary>
public delegate Task<IReadOnlyDictionary<string, WriteBackValues>> WriteBackLookup(IReadOnlyList<string> keys, CancellationToken ct);

/// <summary>Rows whose values were written, and where.</summary>
public sealed record WriteBackResult(string Target, IReadOnlyList<string> WrittenKeys);

/// <summary>Names of the columns a write-back fills; configurable per campaign.</summary>
public sealed class WriteBackColumns
{
    public string VideoId { get; set; } = "video_id";

    public string Status { get; set; } = "video_status";

    public string Url { get; set; } = "video_url";

    /// <summary>Every column written back: the three video cells, then the optional fact columns that are set.</summary>
    public IReadOnlyList<string> All => [VideoId, Status, Url, .. Facts.Where(f => f.Column is not null).Select(f => f.Column!)];

    // Optional facts written back beside the video cells, each only when its column is named.

    /// <summary>Column for the video's thumbnail URL (a signed link that expires, as HeyGen gives it).</summary>
    public string? Thumbnail { get; set; }

    /// <summary>Column for the video's length in seconds.</summary>
    public string? Duration { get; set; }

    /// <summary>Column for the caption (SRT) file URL, with the campaign's <c>Captions</c> on.</summary>
    public string? Captions { get; set; }

    /// <summary>Column for why the video failed (HeyGen's failure message, or the refusal).</summary>
    public string? FailureReason { get; set; }

    // What the recipient did with their page (Pages/Engagement), written beside the video facts; a table
    // campaign writes these too (serve's write-back), unlike the video facts above.

    /// <summary>Column for the recipient's page URL (<c>&lt;Pages:PublicBaseUrl&gt;/v/&lt;token&gt;</c>).</summary>
    public string? Page { get; set; }

    /// <summary>Column for how many times the page was opened in a browser that ran its script (0 when never).</summary>
    public string? Views { get; set; }

    /// <summary>Column for the first view, ISO 8601 UTC (<c>2026-12-06T04:10:00Z</c>); empty when never viewed.</summary>
    public string? FirstViewedAt { get; set; }

    /// <summary>Column for the furthest point of the video reached: 0, 25, 50, 75 or 100.</summary>
    public string? WatchedPercent { get; set; }

    /// <summary>Column for the first click on the page's call to action, ISO 8601 UTC; empty when none.</summary>
    public string? CtaClickedAt { get; set; }

    /// <summary>Column for a mail-merge snippet: the poster image linked to the page, with alt text, HTML-encoded.</summary>
    public string? EmailHtml { get; set; }

    /// <summary>The facts about the video itself (CSV sources only), in write-back order, named or not.</summary>
    public IReadOnlyList<(string Fact, string? Column)> VideoFacts =>
        [("Thumbnail", Thumbnail), ("Duration", Duration), ("Captions", Captions), ("FailureReason", FailureReason)];

    /// <summary>The recipient-page facts, in write-back order, named or not.</summary>
    public IReadOnlyList<(string Fact, string? Column)> PageFacts =>
        [("Page", Page), ("Views", Views), ("FirstViewedAt", FirstViewedAt), ("WatchedPercent", WatchedPercent), ("CtaClickedAt", CtaClickedAt), ("EmailHtml", EmailHtml)];

    /// <summary>Every optional fact column, in write-back order (the video's, then the page's), named or not.</summary>
    public IReadOnlyList<(string Fact, string? Column)> Facts => [.. VideoFacts, .. PageFacts];

    // Columns read per row into the create (never written): a row's own look, voice, background, voice speed and
    // locale, aspect ratio; an empty cell keeps the campaign's setting (Campaigns/RowChoiceReader).

    /// <summary>Column whose cell is the row's avatar look id.</summary>
    public string? Look { get; set; }

    /// <summary>Column whose cell is the row's voice id.</summary>
    public string? Voice { get; set; }

    /// <summary>Column whose cell is the row's background: a hex colour (<c>#1a2b3c</c>) or an image URL.</summary>
    public string? Background { get; set; }

    /// <summary>Column whose cell is the row's voice speed, 0.5 to 1.5.</summary>
    public string? VoiceSpeed { get; set; }

    /// <summary>Column whose cell is the row's voice locale, such as <c>en-US</c>.</summary>
    public string? VoiceLocale { get; set; }

    /// <summary>Column whose cell is the row's aspect ratio.</summary>
    public string? AspectRatio { get; set; }
}

/// <summary>A source that cannot be read at all (missing file, bad encoding, no key column): fatal at start.</summary>
public sealed class SourceException : Exception
{
    public SourceException(string message)
        : base(message)
    {
    }

    public SourceException()
    {
    }

    public SourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
