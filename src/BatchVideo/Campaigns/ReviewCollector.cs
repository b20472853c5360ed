using BatchVideo.Ledger;
using BatchVideo.Reports;
using BatchVideo.Scripts;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>
/// Gathers the review page's rows once a run has settled (before write-back, while the source still
/// reads as it did): the first rows the run's own pass kept, or else one more pass over the source
/// (a table run, or a run that stopped reading early), each row's ledger entry looked up in batches, its
/// script and title rendered again (rendering is deterministic), and the run's problems by line. At
/// most <c>limit</c> rows are kept, so memory stays bounded whatever the source's size.
/// </summary>
public sealed class ReviewCollector(PreparedRun run, LedgerStore ledger)
{
    private const int LookupBatch = 256;

    /// <summary>
    /// When the run began: a row whose video completed before it was done by an earlier run, and is badged
    /// "already done" as the counters count it, not "completed" (which counts this run's own videos).
    /// </summary>
    public DateTimeOffset? RunStartedAt { get; init; }

    /// <summary>The campaign's recipient pages, when it has pages: what each shown row's recipient did is read with its batch; null: no page column.</summary>
    public Pages.CampaignPages? Pages { get; init; }

    // Columns that name a person, by their template identifier, for the page's name column and search.
    private static readonly HashSet<string> NameColumns =
    [
        "name", "full_name", "first_name", "last_name", "firstname", "lastname", "given_name", "family_name", "surname", "contact_name",
    ];

    /// <param name="sendOnly">Leave out rows nothing was sent for (a sample's page names the sample).</param>
    public Task<IReadOnlyList<ReviewRow>> CollectAsync(IEnumerable<RowProblem> problems, int limit, CancellationToken ct, bool sendOnly = false) =>
        CollectFromAsync(problems, limit, run.Source.ReadRowsAsync(ct), sendOnly, ct);

    /// <summary>The same page from rows already read (the run's own pass kept its first rows), without reading the source again.</summary>
    public Task<IReadOnlyList<ReviewRow>> CollectAsync(IEnumerable<RowProblem> problems, int limit, IReadOnlyList<SourceRow> firstRows, CancellationToken ct, bool sendOnly = false) =>
        CollectFromAsync(problems, limit, Stream(firstRows), sendOnly, ct);

    private async Task<IReadOnlyList<ReviewRow>> CollectFromAsync(IEnumerable<RowProblem> problems, int limit, IAsyncEnumerable<SourceRow> sourceRows, bool sendOnly, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var byLine = new Dictionary<long, RowProblem>();
        foreach (var problem in problems)
        {
            byLine.TryAdd(problem.Line, problem);
        }

        var source = run.Source;
        var keyIndex = RowClassifier.KeyIndex(source);
        var names = source.Columns.Select((c, i) => (Identifier: ScriptRenderer.VariableOf(c), Index: i)).Where(c => NameColumns.Contains(c.Identifier)).Select(c => c.Index).ToArray();
        var rows = new List<ReviewRow>();
        var batch = new List<(SourceRow Row, string Key)>(LookupBatch);
        if (limit <= 0)
        {
            return rows;
        }

        await foreach (var row in sourceRows.WithCancellation(ct))
        {
            batch.Add((row, row.Key(keyIndex)));
            if (batch.Count == LookupBatch || rows.Count + batch.Count >= limit)
            {
                await AddBatchAsync(batch, rows, byLine, names, sendOnly, ct);
                if (rows.Count >= limit)
                {
                    break;
                }
            }
        }

        await AddBatchAsync(batch, rows, byLine, names, sendOnly, ct);
        return rows;
    }

    private static async IAsyncEnumerable<SourceRow> Stream(IReadOnlyList<SourceRow> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }

        await Task.CompletedTask;
    }

    private async Task AddBatchAsync(List<(SourceRow Row, string Key)> batch, List<ReviewRow> rows, Dictionary<long, RowProblem> problems, int[] names, bool sendOnly, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var keys = batch.Where(b => b.Key.Length > 0).Select(b => b.Key).Distinct(StringComparer.Ordinal).ToList();
        var entries = run.HasLedger && keys.Count > 0 ? await ledger.GetAsync(run.Campaign, keys, ct) : [];
        var seen = Pages is null || entries.Count == 0 ? null : await Pages.OfAsync(entries.Keys, ct);
        foreach (var (row, key) in batch)
        {
            var review = Describe(row, key.Length > 0 ? key : null, problems.GetValueOrDefault(row.Line), entries, seen, names);
            if (!(sendOnly && review.Status is ReviewStatus.NotSent or ReviewStatus.AlreadyDone))
            {
                rows.Add(review);
            }
        }

        batch.Clear();
    }

    private ReviewRow Describe(SourceRow row, string? key, RowProblem? problem, Dictionary<string, LedgerEntry> entries, Pages.RecipientPages? seen, int[] names)
    {
        var name = string.Join(' ', names.Where(i => i < row.Values.Count).Select(i => row.Values[i].Trim()).Where(v => v.Length > 0));
        var review = new ReviewRow(row.Line, key, name.Length > 0 ? name : null, ReviewStatus.NotSent);
        if (problem is { Outcome: RowOutcome.Rejected } || key is null || row.Problem is not null)
        {
            return review with
            {
                Status = ReviewStatus.Rejected,
                Reason = problem?.Reason ?? row.Problem ?? "the key is empty",
                Advice = ProblemAdvice.For(ReviewStatus.Rejected, problem?.Code),
            };
        }

        var rendered = run.Render(row.Values, key);
        var entry = entries.GetValueOrDefault(key);
        review = review with
        {
            Script = rendered.Script,
            Title = rendered.Script is null ? null : RecipientIdentity.Title(rendered.Title, run.Campaign, RecipientIdentity.Marker(run.Campaign, key)),
            VideoId = entry?.VideoId ?? row.RecordedVideoId,
            PageUrl = entry?.VideoPageUrl,
            Mp4Url = Mp4Of(entry),
            ThumbnailUrl = entry?.ThumbnailUrl,
            Engagement = entry is null ? null : seen?.EngagementOf(entry.RecipientKey),
        };
        var status = entry?.State switch
        {
            LedgerState.Completed when entry.CompletedAt < RunStartedAt?.ToUnixTimeMilliseconds() => ReviewStatus.AlreadyDone,
            LedgerState.Completed => ReviewStatus.Completed,
            LedgerState.Submitted => ReviewStatus.Rendering,
            LedgerState.Failed => ReviewStatus.Failed,
            LedgerState.Submitting => ReviewStatus.ToResume,
            LedgerState.Rejected => ReviewStatus.Rejected,
            // Table work nobody has sent yet (pending, or held by a worker that has not sent it).
            LedgerState.Pending or LedgerState.Claimed => ReviewStatus.NotSent,
            null when row.RecordedVideoId is not null => ReviewStatus.AlreadyDone,
            null when !run.Plan.Sends => ReviewStatus.WouldSend,
            null => ReviewStatus.NotSent,
            // A state this version does not know: the row decision has stopped the run over it; the page still shows the row.
            _ => ReviewStatus.NotSent,
        };
        review = review with { Status = status };
        if (status is ReviewStatus.Completed or ReviewStatus.AlreadyDone or ReviewStatus.WouldSend)
        {
            return review;
        }

        var reason = problem?.Reason
            ?? (entry is { ErrorCode: not null } ? $"{entry.ErrorCode}: {entry.ErrorMessage}" : null)
            ?? (status == ReviewStatus.Rendering ? "still rendering when the run ended" : null);
        return review with { Reason = reason, Advice = ProblemAdvice.For(status, problem?.Code ?? entry?.ErrorCode) };
    }

    /// <summary>Our downloaded copy, else HeyGen's signed MP4 link; null when neither is an MP4.</summary>
    private static string? Mp4Of(LedgerEntry? entry)
    {
        if (entry?.LocalPath is { } local && local.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) && File.Exists(local))
        {
            return new Uri(Path.GetFullPath(local)).AbsoluteUri;
        }

        return entry?.VideoUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && uri.AbsolutePath.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) ? url : null;
    }
}
