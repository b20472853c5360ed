using BatchVideo.Ledger;

namespace BatchVideo.Pages;

/// <summary>
/// A campaign's recipient pages as a write-back or review page reads them: every completed video given its page token,
/// then what recipients did read from the ledger a batch of keys at a time (<see cref="OfAsync"/>) and the totals in one
/// aggregate (<see cref="TotalsAsync"/>), so memory follows a batch, not the campaign (a million recipients under serve).
/// </summary>
public sealed class CampaignPages
{
    private readonly LedgerStore ledger;
    private readonly string campaign;
    private readonly Uri publicBase;

    private CampaignPages(LedgerStore ledger, string campaign, Uri publicBase)
    {
        this.ledger = ledger;
        this.campaign = campaign;
        this.publicBase = publicBase;
    }

    /// <summary>
    /// The image an e-mail shows for a video (<c>Columns:EmailHtml</c>), given the entry and its page: the campaign's
    /// own stored thumbnail when it downloads videos (at <c>Storage:PublicBaseUrl</c>, else served by serve beside the
    /// page), else HeyGen's GIF preview or thumbnail (signed links that expire like the MP4 link; <c>refresh</c> writes
    /// fresh ones). Null: the snippet is a text link.
    /// </summary>
    public Func<LedgerEntry, Uri, Uri?> Poster { get; init; } = HeyGenPoster;

    /// <summary>HeyGen's GIF preview, else its thumbnail, when either is a web address.</summary>
    internal static Uri? HeyGenPoster(LedgerEntry entry, Uri page) => Web(entry.GifUrl ?? entry.ThumbnailUrl);

    /// <summary>
    /// Gives every completed video of the campaign its page token (the ledger keeps one per recipient for good), or
    /// null when the campaign has no pages (<c>Pages:Enabled</c> off, or no <c>Pages:PublicBaseUrl</c> to build
    /// addresses from). Reads no engagement: that is asked per batch of keys.
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

        return new CampaignPages(ledger, campaign, publicBase);
    }

    /// <summary>
    /// The pages a write-back of <paramref name="run"/> writes: only when the campaign has pages and names at least one
    /// page column (<c>Columns:Page</c>, <c>Views</c>…); null otherwise, and the write-back is as before.
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
        return new CampaignPages(ledger, run.Campaign, pages.publicBase) { Poster = (e, page) => StoredPoster(e, page, storesFiles, storage) ?? HeyGenPoster(e, page) };
    }

    /// <summary>The campaign's totals (sent, opened, watched half, clicked): one aggregate read in the ledger.</summary>
    public Task<EngagementTotals> TotalsAsync(CancellationToken ct) => ledger.ReadEngagementTotalsAsync(campaign, ct);

    /// <summary>The pages of the given ledger keys, with what each recipient did: one read per batch of keys.</summary>
    public async Task<RecipientPages> OfAsync(IReadOnlyCollection<string> keys, CancellationToken ct) =>
        Of(await ledger.ReadEngagementAsync(campaign, keys, ct));

    /// <summary>
    /// A table's page columns, by key, into done rows (the numbers change after the video is written). A CSV file gets
    /// them with its video cells instead, so for it this does nothing. Recipients are read from the ledger a batch at a
    /// time, selected there, never gathered for the whole campaign.
    /// </summary>
    /// <param name="justWritten">
    /// The ledger keys whose video cells this write-back wrote: with them, only those rows (their new page) and the
    /// rows of recipients who did something are written, so serve's pass every minute costs what changed, not the
    /// campaign's size; null (<c>refresh</c>): every row with a page, a page of keys at a time.
    /// </param>
    public async Task WriteToTableAsync(Campaigns.PreparedRun run, IEnumerable<string>? justWritten, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Source is not Sources.Tables.SqlTableSource { Pages: { } writer })
        {
            return;
        }

        const int batch = Sources.Tables.TablePageWriter.BatchSize;
        if (justWritten is null)
        {
            await foreach (var page in ledger.ReadEngagementPagesAsync(campaign, EngagementSelection.Every, batch, ct))
            {
                await WriteAsync(page, writer, ct);
            }

            return;
        }

        // The keys this write-back wrote (rows newly done since the last one), not the campaign's.
        var fresh = new HashSet<string>(justWritten, StringComparer.Ordinal);
        foreach (var keys in fresh.Chunk(batch))
        {
            await WriteAsync([.. (await ledger.ReadEngagementAsync(campaign, keys, ct)).Values], writer, ct);
        }

        // The active recipients not just written (those were, above): each row once, as before.
        await foreach (var page in ledger.ReadEngagementPagesAsync(campaign, EngagementSelection.Active, batch, ct))
        {
            await WriteAsync([.. page.Where(e => !fresh.Contains(e.RecipientKey))], writer, ct);
        }
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

    private RecipientPages Of(IReadOnlyDictionary<string, Engagement> byKey) => new(byKey, publicBase, Poster);

    /// <summary>
    /// One batch of a table's page cells, by key: the batch's ledger entries read (for the poster), then one statement
    /// of <paramref name="writer"/>.
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<Engagement> engagements, Sources.Tables.TablePageWriter writer, CancellationToken ct)
    {
        if (engagements.Count == 0)
        {
            return;
        }

        var entries = await ledger.GetAsync(campaign, [.. engagements.Select(e => e.RecipientKey)], ct);
        var pages = Of(engagements.ToDictionary(e => e.RecipientKey, StringComparer.Ordinal));
        var cells = entries.Values.Select(pages.For).OfType<RecipientPage>()
            .Select(page => new KeyValuePair<string, IReadOnlyList<string?>>(page.Engagement.RecipientKey, [.. writer.Facts.Select(page.Cell)]));
        await writer.WriteAsync(cells, ct);
    }
}
