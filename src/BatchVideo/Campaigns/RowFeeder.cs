using System.Threading.Channels;
using BatchVideo.Ledger;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>What the feeding stage read: whether it reached the source's end, and the first rows (the review page is made from them).</summary>
internal sealed record FeedResult(bool ReadToEnd, IReadOnlyList<SourceRow> FirstRows)
{
    /// <summary>Nothing kept: the table flow's (it claims rows rather than reading the source in order), or a feed that failed.</summary>
    public static FeedResult None { get; } = new(false, []);
}

/// <summary>
/// The feeding stage of a file (and of a dry run over a table): reads the rows in order, asks the
/// <see cref="RowClassifier"/> what becomes of each, counts it, follows the videos still rendering, and queues
/// the rows to send that the <see cref="SendGate"/> admits.
/// </summary>
internal sealed class RowFeeder(RunState state, LedgerStore ledger, TimeProvider time)
{
    public async Task<FeedResult> FeedAsync(ChannelWriter<Submission> queue)
    {
        var firstRows = new List<SourceRow>();
        var pageTexts = state.Run.PageTexts is { } texts && state.Plan.Sends ? new Pages.PageTextRecorder(texts, ledger, state.Run.Campaign) : null;
        try
        {
            await foreach (var verdict in new RowClassifier(state.Run, ledger, time, state.Holder).ClassifyAsync(state.Token))
            {
                if (pageTexts is not null && verdict is { Fate: RowFate.AlreadyDone or RowFate.Rendering or RowFate.Ready, Key: { } pageKey })
                {
                    await pageTexts.AddAsync(pageKey, verdict.Row.Values, state.Token);
                }

                if (state.Halted || state.Run.Gate is { IsFull: true, Refusal: null })
                {
                    break;
                }

                state.Progress.OnRead();
                if (firstRows.Count < state.Report.ReviewRowLimit)
                {
                    firstRows.Add(verdict.Row);
                }

                state.Progress.Count(verdict);
                switch (verdict)
                {
                    case { Fate: RowFate.Rejected, Problem: { } problem }:
                        state.Rejects.Write(problem, verdict.Row);
                        break;
                    case { Fate: RowFate.Rendering, Key: { } key, Entry: { VideoId: { } videoId } entry } when state.Plan.Follows != FollowMode.None:
                        state.Follower.Add(key, videoId, verdict.Row.Line, submittedAt: entry.SubmittedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, row: verdict.Row);
                        break;
                    case { Fate: RowFate.FailedEarlier, Problem: { } problem }:
                        state.Rejects.Write(problem, verdict.Row);
                        break;
                    case { Fate: RowFate.Ready, Key: { } key, Rendered: { } rendered }:
                        if (await AdmitAsync(state, ledger, key, verdict.Entry))
                        {
                            await queue.WriteAsync(new Submission(verdict.Row.Line, key, rendered, verdict.Entry) { Row = verdict.Row }, state.Token);
                        }

                        break;
                }
            }

            await (pageTexts?.FlushAsync(state.Token) ?? Task.CompletedTask);
            return new FeedResult(!state.Token.IsCancellationRequested, firstRows);
        }
        finally
        {
            queue.TryComplete();
        }
    }

    /// <summary>
    /// Asks the gate as a row is queued for sending (in source order, by the one producer, so a sample is
    /// the first rows); a row turned away is never claimed for a create and stays pending, and a table
    /// claim on it is let go.
    /// </summary>
    internal static async Task<bool> AdmitAsync(RunState state, LedgerStore ledger, string key, LedgerEntry? entry)
    {
        if (state.Run.Gate is not { } gate || gate.TryAdmit(key))
        {
            return true;
        }

        if (gate.Refusal is { } reason)
        {
            state.Control.Halt(reason);
        }

        if (entry?.State == LedgerState.Claimed)
        {
            await ledger.DropClaimAsync(state.Run.Campaign, key, state.Holder, CancellationToken.None);
        }

        return false;
    }
}
