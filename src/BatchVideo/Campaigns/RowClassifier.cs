using System.Runtime.CompilerServices;
using BatchVideo.Ledger;
using BatchVideo.Scripts;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>What becomes of one row of a source.</summary>
public enum RowFate
{
    /// <summary>The row cannot be sent: unreadable, no key, a duplicate key, or a script that cannot be rendered.</summary>
    Rejected,

    /// <summary>A video exists already: the ledger has it completed, or the source names one.</summary>
    AlreadyDone,

    /// <summary>An earlier run's video is still rendering: it is followed, not sent again.</summary>
    Rendering,

    /// <summary>An earlier run's video failed; only <c>--retry-failed</c> pays for a new one.</summary>
    FailedEarlier,

    /// <summary>
    /// Another worker holds the recipient under a live lease (a table run sending it now): counted and
    /// reported, not sent; once that lease ends without an answer, a later run takes the row over.
    /// </summary>
    InProgressElsewhere,

    /// <summary>Rendered and ready to send (a new recipient, or one whose ledger entry this run may take).</summary>
    Ready,
}

/// <summary>The fate of one row and what the next step needs to act on it.</summary>
/// <param name="Key">The recipient key, when the row has a usable one.</param>
public sealed record RowVerdict(RowFate Fate, SourceRow Row, string? Key)
{
    /// <summary>What the ledger holds for the recipient, if anything.</summary>
    public LedgerEntry? Entry { get; init; }

    /// <summary>The script and title, for <see cref="RowFate.Ready"/>.</summary>
    public RenderResult? Rendered { get; init; }

    /// <summary>Why, for <see cref="RowFate.Rejected"/>, <see cref="RowFate.FailedEarlier"/> and <see cref="RowFate.InProgressElsewhere"/>.</summary>
    public RowProblem? Problem { get; init; }
}

/// <summary>
/// The rules that decide what becomes of each row, in one place for <c>run</c>, <c>run --dry-run</c>,
/// <c>validate</c> and <c>preview</c>: source problems, empty and duplicate keys, the ledger's state
/// (looked up in batches), and rendering. Verdicts come out in source order, one row at a time, so a
/// caller can stream millions of rows; only the set of keys seen (<see cref="SeenKeys"/>) grows with the row count.
/// Every <see cref="LedgerState"/> is named in <see cref="Decide"/>; an unknown state is an error, never a silent skip.
/// </summary>
/// <param name="time">The clock leases are compared with.</param>
/// <param name="holder">This run's worker name in claims (<c>null</c> for commands that claim nothing).</param>
public sealed class RowClassifier(PreparedRun run, LedgerStore ledger, TimeProvider time, string? holder = null)
{
    private const int LedgerLookupBatch = 256;

    // Rejected rows wait in the batch too, to keep source order; this bounds the batch when a long
    // stretch of rows is rejected before enough keys are collected for a lookup.
    private const int MaxPending = 4 * LedgerLookupBatch;

    // Widths of the campaign's zero-led keys in the ledger, read once per pass: what a reformatted key is padded to.
    private IReadOnlyList<int> zeroLedWidths = [];

    public async IAsyncEnumerable<RowVerdict> ClassifyAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var source = run.Source;
        var keyIndex = KeyIndex(source);
        using var seen = new SeenKeys();
        zeroLedWidths = run.HasLedger ? await ledger.ZeroLedKeyWidthsAsync(run.Campaign, ct) : [];
        var pending = new List<(SourceRow Row, string Key, RowProblem? Rejection)>(LedgerLookupBatch);
        var keys = 0;
        await foreach (var row in source.ReadRowsAsync(ct))
        {
            var key = run.KeyOf(keyIndex < row.Values.Count ? row.Values[keyIndex] : "");
            RowProblem? rejection = null;
            if (row.Problem is not null)
            {
                rejection = Rejection(row, key.Length > 0 ? key : null, null, row.Problem, "malformed_row");
            }
            else if (EmptyKey(row, key, source.KeyColumn) is { } empty)
            {
                rejection = empty;
            }
            else if (RecipientKeys.IsExcelScientific(key))
            {
                // Sending the first of the rows that share such a key pays for a person the corrected
                // re-export then names differently: it would be paid for again.
                rejection = Rejection(row, key, source.KeyColumn, RecipientKeys.ExcelScientificReason(key, source.KeyColumn), "excel_number");
            }
            else if (!seen.TryAdd(key, row.Line, out var firstLine))
            {
                rejection = Rejection(row, key, source.KeyColumn, $"duplicate key '{key}' (first at line {firstLine})", "duplicate_key");
            }
            else
            {
                keys++;
            }

            pending.Add((row, key, rejection));
            if (keys == LedgerLookupBatch || pending.Count == MaxPending)
            {
                foreach (var verdict in await DecideAsync(pending, ct))
                {
                    yield return verdict;
                }

                keys = 0;
            }
        }

        foreach (var verdict in await DecideAsync(pending, ct))
        {
            yield return verdict;
        }
    }

    private async Task<List<RowVerdict>> DecideAsync(List<(SourceRow Row, string Key, RowProblem? Rejection)> pending, CancellationToken ct)
    {
        var lookup = pending.Where(p => p.Rejection is null).SelectMany(p => Padded(p.Key).Prepend(p.Key)).Distinct(StringComparer.Ordinal).ToList();
        var entries = run.HasLedger && lookup.Count > 0
            ? await ledger.GetAsync(run.Campaign, lookup, ct)
            : [];
        var verdicts = new List<RowVerdict>(pending.Count);
        foreach (var (row, key, read) in pending)
        {
            var rejection = read;
            var entry = rejection is null ? entries.GetValueOrDefault(key) : null;
            if (rejection is null && entry is null && row.RecordedVideoId is null
                && Padded(key).Select(entries.GetValueOrDefault).FirstOrDefault(e => e is { State: not (LedgerState.Pending or LedgerState.Rejected) }) is { } paid)
            {
                rejection = Rejection(row, key, run.Source.KeyColumn, ZerosDroppedReason(key, paid), "zeros_dropped");
            }

            verdicts.Add(rejection is not null
                ? new RowVerdict(RowFate.Rejected, row, rejection.Key) { Problem = rejection }
                : Decide(row, key, entry));
        }

        pending.Clear();
        return verdicts;
    }

    /// <summary>
    /// The one decision per row, for a file and a table alike: what the ledger's state for the
    /// recipient (or its absence) means for this row.
    /// </summary>
    public RowVerdict Decide(SourceRow row, string key, LedgerEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(row);
        switch (entry?.State)
        {
            case null when row.RecordedVideoId is not null:
                // The source already names a video the ledger does not know (another ledger, or by
                // hand): sending again would pay twice.
                return new RowVerdict(RowFate.AlreadyDone, row, key);
            case null:
                return Render(row, key, null);
            case LedgerState.Completed:
                return new RowVerdict(RowFate.AlreadyDone, row, key) { Entry = entry };
            case LedgerState.Submitted:
                return new RowVerdict(RowFate.Rendering, row, key) { Entry = entry };
            case LedgerState.Failed when entry.VideoStatus == LedgerState.OutcomeUnknown:
                // A create that may have made a video at HeyGen: never sent again by a run, not even with
                // --retry-failed; the operator settles it with 'batchvideo resolve'.
                return new RowVerdict(RowFate.FailedEarlier, row, key)
                {
                    Entry = entry,
                    Problem = new RowProblem(RowOutcome.Failed, row.Line, key, null, entry.ErrorMessage ?? "outcome unknown") { Code = LedgerStore.OutcomeUnknownCode },
                };
            case LedgerState.Failed when !run.Request.RetryFailed && entry.VideoStatus != LedgerState.Refused:
                return new RowVerdict(RowFate.FailedEarlier, row, key)
                {
                    Entry = entry,
                    Problem = new RowProblem(
                        RowOutcome.Failed, row.Line, key, null,
                        $"failed in an earlier run ({entry.ErrorCode}: {entry.ErrorMessage}); rerun with --retry-failed to pay for a new attempt")
                    {
                        Code = "failed_earlier",
                    },
                };
            case LedgerState.Failed:
                // --retry-failed: a new attempt with a new Idempotency-Key.
                return Render(row, key, entry);
            case LedgerState.Pending:
                // Found by a table run and not claimed yet: whichever run reaches it first claims it.
            case LedgerState.Rejected:
                // A table run could not render the row; this row may render now (it is rendered again).
                return Render(row, key, entry);
            case LedgerState.Claimed:
            case LedgerState.Submitting:
                // Held by another worker under a live lease: that worker sends it. An expired lease (the
                // worker died), this run's own claim, or a CSV run's unleased submission is taken over;
                // a "submitting" entry is then replayed with its Idempotency-Key, never sent blind.
                return HeldElsewhere(entry)
                    ? new RowVerdict(RowFate.InProgressElsewhere, row, key)
                    {
                        Entry = entry,
                        Problem = new RowProblem(
                            RowOutcome.InProgressElsewhere, row.Line, key, null,
                            $"in progress elsewhere: {entry.ClaimedBy} holds it ({entry.State}) until {DateTimeOffset.FromUnixTimeMilliseconds(entry.LeaseExpiresAt!.Value):u}; a run after that takes it over if it is not done")
                        {
                            Code = "in_progress_elsewhere",
                        },
                    }
                    : Render(row, key, entry);
            default:
                throw new InvalidOperationException(
                    $"The ledger holds state '{entry.State}' for recipient '{key}' of campaign '{run.Campaign}', which this BatchVideo does not know; was the ledger written by a newer version?");
        }
    }

    /// <summary>True when another worker holds the entry and its lease has not ended.</summary>
    private bool HeldElsewhere(LedgerEntry entry) =>
        entry.ClaimedBy is { } claimedBy
        && !string.Equals(claimedBy, holder, StringComparison.Ordinal)
        && entry.LeaseExpiresAt is { } until
        && until >= time.GetUtcNow().ToUnixTimeMilliseconds();

    private RowVerdict Render(SourceRow row, string key, LedgerEntry? entry)
    {
        var rendered = run.Render(row.Values, key);
        if (rendered.Problem is null && run.Choices is { } reader)
        {
            // The row's own look, voice, background…: a bad cell rejects the row like a bad template value.
            var (choices, bad) = reader.Read(row.Values);
            rendered = bad is null ? rendered with { Choices = choices } : RenderResult.Rejected(bad);
        }

        rendered = Names.SpokenText.Apply(run, row.Values, key, rendered);

        return rendered.Problem is { } problem
            ? new RowVerdict(RowFate.Rejected, row, key)
            {
                Entry = entry,
                Problem = Rejection(row, key, problem.Column, problem.Reason, problem.Code),
            }
            : new RowVerdict(RowFate.Ready, row, key) { Entry = entry, Rendered = rendered };
    }

    /// <summary>
    /// The key with the leading zeros a spreadsheet drops from an all-digit id (Excel, Google Sheets: 00501 →
    /// 501), to each width the ledger holds zero-led keys of for this campaign; none for other keys.
    /// </summary>
    private IEnumerable<string> Padded(string key) =>
        key.Length > 0 && key.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            ? zeroLedWidths.Where(w => w > key.Length).Select(w => key.PadLeft(w, '0'))
            : [];

    private string ZerosDroppedReason(string key, LedgerEntry paid) =>
        $"the key '{key}' is '{paid.RecipientKey}' with its leading zeros dropped (a spreadsheet read the id as a number), and '{paid.RecipientKey}' "
        + $"already has a video or a create ({paid.State}); a new one would pay for the same person again. Export the file again with the column '{run.Source.KeyColumn}' as text "
        + "(in Excel: Data > From Text/CSV, set the column's type to Text, then save as CSV UTF-8; in Google Sheets: Format > Number > Plain text before pasting), or put the zeros back";

    /// <summary>The rejection of a row without a key, for a file's rows and a table's pending pages alike; null when it has one.</summary>
    internal static RowProblem? EmptyKey(SourceRow row, string key, string keyColumn) =>
        CellText.IsBlank(key) ? Rejection(row, null, keyColumn, "the key is empty", "empty_key") : null;

    private static RowProblem Rejection(SourceRow row, string? key, string? column, string reason, string code) =>
        new(RowOutcome.Rejected, row.Line, key, column, reason) { Code = code };

    /// <summary>Where the key column is among the source's columns.</summary>
    internal static int KeyIndex(IRecipientSource source)
    {
        for (var i = 0; i < source.Columns.Count; i++)
        {
            if (source.Columns[i] == source.KeyColumn)
            {
                return i;
            }
        }

        throw new ConfigurationException($"Key column '{source.KeyColumn}' is not in {source.Name}.");
    }
}
