using BatchVideo.Ledger;

namespace BatchVideo.Pages;

/// <summary>
/// A campaign's recipient pages as one write-back or review page sees them: every page token and what its
/// recipient did, read once from the ledger (one query for the campaign) and then asked per recipient.
/// </summary>
public sealed class CampaignPages
{
    private readonly IReadOnlyDictionary<string, Engagement> byKey;
    private readonly Uri publicBase;

    private CampaignPages(IReadOnlyDictionary<string, Engagement> byKey, Uri publicBase)
    {
        this.byKey = byKey;
        this.publicBase = publicBase;
    }

    /// <summary>
    /// The image an e-mail shows for a video (<c>Columns:EmailHtml</c>), given the entry and its page: the campaign's
    /// own stored thumbnail when it downloads videos (at <c>Storage:PublicBaseUrl</c>, else served by serve beside the
    /// page), else HeyGen's GIF preview or thumbnail (signed links that expire like the MP4 link; <c>refresh</c> writes
    /// fresh ones). Null: the snippet is a text link.
    /// </summary>
    public Func<LedgerEntry, Uri, Uri?> Poster { get; init; } = (entry, _) => Web(entry.GifUrl ?? entry.ThumbnailUrl);

    /// <summary>Every recipient's engagement, by ledger key.</summary>
    public IReadOnlyDictionary<string, Engagement> Engagements => byKey;

    /// <summary>The campaign's totals: sent, opened, watched half, clicked.</summary>
    public EngagementTotals Totals => EngagementTotals.Of(byKey.Values);

    /// <summary>
    /// Gives every completed video of the campaign its page token (the ledger keeps one per recipient for good)
    /// and reads what each recipient did, or null when the campaign has no pages (<c>Pages:Enabled</c> off, or no
    /// <c>Pages:PublicBaseUrl</c> to build addresses from).
    /// </summary>
    /// <param name="giveTokens">False for a reader that must not write the ledger (a dry run's review page): newly finished videos show no page yet.</param>
    public static async Task<CampaignPages?> ReadAsync(LedgerStore ledger, string campaign, bool enabled, Uri? publicBase, CancellationToken ct, bool giveTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (!enabled || publicBase is null)
        {
            return null;
        }

        if (giveTokens)
        {
            await ledger.EnsurePageTokensAsync(campaign, ct);
        }

        return new CampaignPages(await ledger.ReadEngagementAsync(campaign, ct), publicBase);
    }

    /// <summary>
    /// The pages a write-back of <paramref name="run"/> writes: read only when the campaign has pages and names at
    /// least one page column (<c>Columns:Page</c>, <c>Views</c>…); null otherwise, and the write-back is as before.
    /// </summary>
    public static async Task<CampaignPages?> ForWriteBackAsync(LedgerStore ledger, Campaigns.PreparedRun run, Links.StorageOptions storage, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Options.Columns.PageFacts.Any(f => f.Column is not null)
            || await ReadAsync(ledger, run.Campaign, run.PagesAt is not null, run.PagesAt, ct) is not { } pages)
        {
            return null;
        }

        var storesFiles = WriteBack.WriteBackLink.StoresFiles(run.Options);
        return new CampaignPages(pages.byKey, pages.publicBase) { Poster = (e, page) => StoredPoster(e, page, storesFiles, storage) ?? Web(e.GifUrl ?? e.ThumbnailUrl) };
    }

    /// <summary>
    /// A table's page columns, by key, into done rows (the numbers change after the video is written). A CSV file gets
    /// them with its video cells instead, so for it this does nothing.
    /// </summary>
    /// <param name="justWritten">
    /// The ledger keys whose video cells this write-back wrote: with them, only those rows (their new page) and the
    /// rows of recipients who did something are written, so serve's pass every minute costs what changed, not the
    /// campaign's size; null (<c>refresh</c>): every row with a page.
    /// </param>
    public async Task WriteToTableAsync(LedgerStore ledger, Campaigns.PreparedRun run, IReadOnlyCollection<string>? justWritten, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Source is Sources.Tables.SqlTableSource { Pages: { } writer })
        {
            var fresh = justWritten is null ? null : new HashSet<string>(justWritten, StringComparer.Ordinal);
            var keys = byKey.Where(e => fresh is null || fresh.Contains(e.Key) || e.Value is { Views: > 0 } or { WatchedPercent: > 0 } or { CtaClickedAt: not null })
                .Select(e => e.Key);
            await WriteAsync(ledger, run.Campaign, keys, writer, ct);
        }
    }

    /// <summary>A page built from known engagement (tests, and callers that already read it).</summary>
    internal static CampaignPages Of(IReadOnlyDictionary<string, Engagement> byKey, Uri publicBase) => new(byKey, publicBase);

    /// <summary>The recipient's page, or null when their video has none (not completed, or its token revoked).</summary>
    public RecipientPage? For(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.State != LedgerState.Completed || !byKey.TryGetValue(entry.RecipientKey, out var engagement))
        {
            return null;
        }

        var url = PageLinks.Url(publicBase, engagement.PageToken);
        return new RecipientPage(url, Poster(entry, url), engagement);
    }

    /// <summary>An absolute http(s) address, or null (a local path is no image for an e-mail).</summary>
    public static Uri? Web(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;

    /// <summary>
    /// A download campaign's stored thumbnail: at <c>Storage:PublicBaseUrl</c> when set, else serve's <c>&lt;page&gt;/poster</c>
    /// (as the page itself shows it); null when the campaign does not download or keeps no thumbnail.
    /// </summary>
    public static Uri? StoredPoster(LedgerEntry entry, Uri page, bool storesFiles, Links.StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(storage);
        if (!storesFiles || entry.LocalPath is not { } video || Path.ChangeExtension(video, ".jpg") is var poster && !File.Exists(poster))
        {
            return null;
        }

        return storage.PublicBaseUrl is not null ? Web(WriteBack.WriteBackLink.Published(poster, storage)) : new Uri(page.AbsoluteUri + "/poster");
    }

    /// <summary>
    /// A table's page cells, by key, for every recipient with a page: the ledger's entries are read a batch at a time
    /// (for the poster), and each batch is one statement of <paramref name="writer"/>.
    /// </summary>
    private async Task WriteAsync(LedgerStore ledger, string campaign, IEnumerable<string> recipients, Sources.Tables.TablePageWriter writer, CancellationToken ct)
    {
        foreach (var keys in recipients.Chunk(Sources.Tables.TablePageWriter.BatchSize))
        {
            var entries = await ledger.GetAsync(campaign, keys, ct);
            var cells = entries.Values.Select(For).OfType<RecipientPage>()
                .Select(page => new KeyValuePair<string, IReadOnlyList<string?>>(page.Engagement.RecipientKey, [.. writer.Facts.Select(page.Cell)]));
            await writer.WriteAsync(cells, ct);
        }
    }
}
