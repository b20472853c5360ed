using System.Text.Json;
using BatchVideo.Pages;
using Dapper;

namespace BatchVideo.Ledger;

/// <summary>Recipient pages (issue 25): their tokens, what serve shows on them, and what their beacons reported.</summary>
public sealed partial class LedgerStore
{
    private const int TokenBatch = 500;

    private PageLedgerDialect? pages;

    private PageLedgerDialect Pages => pages ??= PageLedgerDialect.For(dialect.Engine.Kind);

    /// <summary>
    /// Gives every completed entry of the campaign that has no page token one (<see cref="PageTokens.New"/>), in
    /// batches; a recipient who has one, revoked or not, keeps it, so a page's address never changes. Safe to run
    /// on several machines at once: a token added meanwhile by another wins.
    /// </summary>
    public async Task EnsurePageTokensAsync(string campaign, CancellationToken ct)
    {
        var after = "";
        while (true)
        {
            var keys = (await WithConnectionAsync(
                (connection, token) => connection.QueryAsync<string>(new CommandDefinition(
                    Pages.SelectKeysWithoutToken, new { Campaign = campaign, After = after, Count = TokenBatch }, cancellationToken: token)),
                ct)).ToList();
            if (keys.Count == 0)
            {
                return;
            }

            var batch = JsonSerializer.Serialize(keys.Select(k => new Dictionary<string, string> { ["k"] = k, ["t"] = PageTokens.New() }));
            await WithConnectionAsync(
                (connection, token) => connection.ExecuteAsync(new CommandDefinition(
                    Pages.InsertTokens, new { Campaign = campaign, Batch = batch, Now = Now() }, cancellationToken: token)),
                ct);
            if (keys.Count < TokenBatch)
            {
                return;
            }

            after = keys[^1];
        }
    }

    /// <summary>
    /// What the given recipients did with their pages, by recipient key: those with a page token and a finished video
    /// (others are absent). Read a statement per <see cref="LedgerDialect.MaxKeysPerQuery"/> keys by primary key, as
    /// <see cref="GetAsync(string, IReadOnlyList{string}, CancellationToken)"/> reads entries, so memory follows the keys asked.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Engagement>> ReadEngagementAsync(string campaign, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new Dictionary<string, Engagement>(keys.Count, StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(dialect.MaxKeysPerQuery))
        {
            var rows = await WithConnectionAsync(
                (connection, token) => connection.QueryAsync<EngagementRow>(new CommandDefinition(
                    Pages.SelectEngagementOfKeys, new { Campaign = campaign, Keys = chunk }, cancellationToken: token)),
                ct);
            foreach (var row in rows)
            {
                result[row.RecipientKey] = row.ToEngagement();
            }
        }

        return result;
    }

    /// <summary>
    /// The campaign's recipients with a page and a finished video, a page of at most <paramref name="pageSize"/> at a
    /// time in key order (each page one read from the last key on), so a million recipients never sit in memory at once.
    /// </summary>
    /// <param name="selection">Which of them: every one, those who did something, or those whose page is live.</param>
    /// <param name="pageSize">Recipients per read, 1 to 10,000.</param>
    public async IAsyncEnumerable<IReadOnlyList<Engagement>> ReadEngagementPagesAsync(
        string campaign, EngagementSelection selection, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 10_000);
        var sql = selection switch
        {
            EngagementSelection.Active => Pages.SelectActiveEngagementAfter,
            EngagementSelection.Live => Pages.SelectLivePages,
            _ => Pages.SelectEngagementAfter,
        };
        var after = "";
        while (true)
        {
            var values = new { Campaign = campaign, After = after, Count = pageSize };
            var page = (await WithConnectionAsync(
                (connection, token) => connection.QueryAsync<EngagementRow>(new CommandDefinition(sql, values, cancellationToken: token)),
                ct)).Select(r => r.ToEngagement()).ToList();
            if (page.Count > 0)
            {
                yield return page;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            after = page[^1].RecipientKey;
        }
    }

    /// <summary>The campaign's page totals (sent, opened, watched half, clicked): one aggregate in the database, nothing per recipient here.</summary>
    public async Task<EngagementTotals> ReadEngagementTotalsAsync(string campaign, CancellationToken ct)
    {
        var totals = await WithConnectionAsync(
            (connection, token) => connection.QuerySingleAsync<TotalsRow>(new CommandDefinition(
                Pages.SelectEngagementTotals, new { Campaign = campaign }, cancellationToken: token)),
            ct);
        return new EngagementTotals(totals.Sent, totals.Opened, totals.WatchedHalf, totals.Clicked);
    }

    /// <summary>
    /// The page of a live token whose video is completed, or null (unknown, revoked, or no finished video): one
    /// read by the token's unique index. Made-up tokens of the wrong shape are turned away without a read.
    /// </summary>
    public async Task<PageLookup?> FindPageAsync(string token, CancellationToken ct)
    {
        if (!PageTokens.IsWellFormed(token))
        {
            return null;
        }

        var found = await WithConnectionAsync(
            (connection, cancel) => connection.QueryAsync<PageRow, LedgerEntry, PageLookup>(
                new CommandDefinition(Pages.SelectPage, new { Token = token }, cancellationToken: cancel),
                (page, entry) => new PageLookup(page.Token, entry, new PageTexts(page.Heading, page.CtaText, page.CtaUrl) { Name = page.RecipientName }),
                splitOn: "campaign"),
            ct);
        return found.FirstOrDefault();
    }

    /// <summary>
    /// Records one beacon of a live token's page (<see cref="PageEvents"/>): counters and first/last times on the
    /// token's row, never a row per beacon. True only for the token's first <c>opened</c>, once whatever the race
    /// between machines (for the <c>first_view</c> notification). An unknown or revoked token records nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The kind or percent is not one <see cref="PageEvents.IsValid"/> accepts.</exception>
    public async Task<bool> RecordPageEventAsync(string token, string kind, int? percent, DateTimeOffset at, CancellationToken ct)
    {
        if (!PageEvents.IsValid(kind, percent))
        {
            throw new ArgumentException($"'{kind}' with percent {percent?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} is not a page event.", nameof(kind));
        }

        if (!PageTokens.IsWellFormed(token))
        {
            return false;
        }

        var values = new { Token = token, At = at.ToUnixTimeMilliseconds(), Percent = percent ?? 0 };
        if (kind == PageEvents.Opened && await PageUpdateAsync(Pages.MarkFirstView, values, ct))
        {
            return true;
        }

        await PageUpdateAsync(
            kind switch
            {
                PageEvents.Opened => Pages.CountView,
                PageEvents.Play => Pages.CountPlay,
                PageEvents.Progress => Pages.MarkProgress,
                _ => Pages.CountCtaClick,
            },
            values,
            ct);
        return false;
    }

    /// <summary>
    /// Stores the page texts rendered from each recipient's row (<see cref="PageTextRenderer"/>) and their name; a
    /// recipient without a token gets one now, so the texts wait for the video. A run calls this for every row it
    /// reads, so texts follow the CRM.
    /// </summary>
    public async Task SetPageTextsAsync(string campaign, IReadOnlyDictionary<string, PageTexts> texts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(texts);
        foreach (var chunk in texts.Chunk(TokenBatch))
        {
            var batch = JsonSerializer.Serialize(chunk.Select(t => new Dictionary<string, string?>
            {
                ["k"] = t.Key, ["t"] = PageTokens.New(), ["h"] = t.Value.Heading, ["c"] = t.Value.CtaText, ["u"] = t.Value.CtaUrl,
                // Bounded and trimmed here too, whoever built the texts: the column holds at most MaxNameLength characters.
                ["n"] = PageTextRenderer.RecipientName(t.Value.Name),
            }));
            await WithConnectionAsync(
                (connection, token) => connection.ExecuteAsync(new CommandDefinition(
                    Pages.UpsertTexts, new { Campaign = campaign, Batch = batch, Now = Now() }, cancellationToken: token)),
                ct);
        }
    }

    /// <summary>Takes a recipient's page down for good: its address answers 404 from now on; what it counted stays.</summary>
    public Task<bool> RevokePageAsync(string campaign, string key, CancellationToken ct) =>
        PageUpdateAsync(Pages.Revoke, new { Campaign = campaign, Key = key, Now = Now() }, ct);

    private async Task<bool> PageUpdateAsync(string sql, object values, CancellationToken ct) =>
        await WithConnectionAsync((connection, token) => connection.ExecuteAsync(new CommandDefinition(sql, values, cancellationToken: token)), ct) > 0;

    private static DateTimeOffset? Time(long? unixMilliseconds) =>
        unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private sealed class PageRow
    {
        public string Token { get; set; } = "";

        public string? Heading { get; set; }

        public string? CtaText { get; set; }

        public string? CtaUrl { get; set; }

        public string? RecipientName { get; set; }
    }

    private sealed class EngagementRow
    {
        public string Campaign { get; set; } = "";

        public string RecipientKey { get; set; } = "";

        public string Token { get; set; } = "";

        public int Views { get; set; }

        public long? FirstViewedAt { get; set; }

        public int WatchedPercent { get; set; }

        public long? CtaClickedAt { get; set; }

        public Engagement ToEngagement() => new(Campaign, RecipientKey, Token, Views, Time(FirstViewedAt), WatchedPercent, Time(CtaClickedAt));
    }

    private sealed class TotalsRow
    {
        public long Sent { get; set; }

        public long Opened { get; set; }

        public long WatchedHalf { get; set; }

        public long Clicked { get; set; }
    }
}
