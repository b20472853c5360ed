using System.Threading.Channels;
using BatchVideo.Databases;
using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;

namespace BatchVideo.Campaigns;

/// <summary>
/// The feeding stage of a table: every worker pages through the rows that still need a video and records them
/// in the ledger as pending (idempotent), then claims chunks of pending entries under a lease, so two workers
/// never send the same row and a dead worker's claims pass to another once its lease ends. Also follows the
/// videos earlier runs left rendering, and hands back the claims a halted run did not send.
/// </summary>
/// <param name="lease">How long a claim holds (<c>Ledger:ClaimLease</c>); renewed at a quarter of it.</param>
internal sealed class TableFeeder(RunState state, LedgerStore ledger, HeyGenOptions settings, TimeSpan lease, TimeProvider time)
{
    public async Task<FeedResult> FeedAsync(ITableSource source, ChannelWriter<Submission> queue)
    {
        var run = state.Run;
        var runStarted = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(state.Token);
        var renew = RenewLeasesAsync(run.Campaign, state.Holder, lease, renewal.Token);
        try
        {
            await FollowEarlierAsync();
            var discovery = DiscoverAsync(source, runStarted);
            while (!state.Halted)
            {
                // Read "done" before claiming: whatever discovery enqueued before it finished is then claimable.
                var discovered = discovery.IsCompleted;
                var claimed = await ledger.ClaimAsync(run.Campaign, state.Holder, settings.MaxConcurrency * 8, lease, state.Token);
                if (claimed.Count > 0)
                {
                    await DispatchClaimedAsync(source, claimed, queue);
                }
                else if (discovered)
                {
                    await discovery; // surfaces a failed discovery
                    // Work still held by another worker is that worker's; once its lease ends (it died)
                    // this run takes it over, so a run only ends when the table's work is all sent.
                    if (await ledger.CountOutstandingClaimsAsync(run.Campaign, state.Token) == 0)
                    {
                        break;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500), time, state.Token);
                }
                else
                {
                    await Task.WhenAny(discovery, Task.Delay(TimeSpan.FromMilliseconds(50), time, state.Token));
                }
            }
        }
        finally
        {
            queue.TryComplete();
            await renewal.CancelAsync();
            await renew.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return FeedResult.None;
    }

    private async Task DiscoverAsync(ITableSource source, long runStarted)
    {
        var campaign = state.Run.Campaign;
        await foreach (var page in source.ReadPendingPagesAsync(state.Token))
        {
            var work = new List<PendingWork>(page.Count);
            foreach (var row in page)
            {
                state.Progress.OnRead();
                var key = row.Key(0);
                if (RowClassifier.EmptyKey(row, key, source.KeyColumn) is { } empty)
                {
                    state.Rejects.Rejected(empty, row);
                    continue;
                }

                work.Add(new PendingWork(key, RecipientIdentity.IdempotencyKey(campaign, key, 1, state.Run.Options.Type), RecipientIdentity.Marker(campaign, key)));
            }

            await ledger.EnqueueAsync(campaign, work, runStarted, state.Token);
        }
    }

    private async Task DispatchClaimedAsync(ITableSource source, IReadOnlyList<LedgerEntry> claimed, ChannelWriter<Submission> queue)
    {
        var run = state.Run;
        var decision = new RowClassifier(run, ledger, time, state.Holder);
        var rows = (await source.FetchAsync([.. claimed.Select(e => e.RecipientKey)], state.Token))
            .ToDictionary(r => r.Key(0), StringComparer.Ordinal);
        // A table's rows are read here only, when claimed to be sent: their page texts and name are kept now, as a
        // file's are on every read (a done row is not read again, so its texts stay those of its sending).
        var pageTexts = run.PageTexts is { } texts ? new Pages.PageTextRecorder(texts, ledger, run.Campaign) : null;
        foreach (var entry in claimed)
        {
            if (!rows.TryGetValue(entry.RecipientKey, out var row))
            {
                // The row left the pending set meanwhile (deleted, filtered out, or given a URL).
                await ledger.DropClaimAsync(run.Campaign, entry.RecipientKey, state.Holder, state.Token);
                continue;
            }

            // The same decision as a file's row: a claim this worker just took is rendered, then sent or rejected.
            var verdict = decision.Decide(row, entry.RecipientKey, entry);
            if (verdict is { Fate: RowFate.Rejected, Problem: { } rejected })
            {
                state.Rejects.Rejected(rejected, row);
                await ledger.MarkRejectedAsync(run.Campaign, entry.RecipientKey, state.Holder, rejected.Reason, state.Token);
                continue;
            }

            if (verdict is not { Fate: RowFate.Ready, Rendered: { } rendered })
            {
                throw new InvalidOperationException($"Recipient '{entry.RecipientKey}' was claimed by this worker but decided {verdict.Fate}.");
            }

            await (pageTexts?.AddAsync(entry.RecipientKey, row.Values, state.Token) ?? Task.CompletedTask);

            if (!await RowFeeder.AdmitAsync(state, ledger, entry.RecipientKey, entry))
            {
                continue;
            }

            await queue.WriteAsync(new Submission(row.Line, entry.RecipientKey, rendered, entry) { Row = row }, state.Token);
        }

        await (pageTexts?.FlushAsync(state.Token) ?? Task.CompletedTask);
    }

    /// <summary>
    /// After a halt (submission window, budget, breaker) or a stop (SIGTERM, Ctrl+C, a refused batch), table rows
    /// this run claimed and never sent go back to pending at once, so the next fire or start (on any node) takes
    /// them without waiting for the lease to end. Called once the submitters are done, so none is being sent.
    /// </summary>
    public async Task ReturnUnsentClaimsAsync()
    {
        if ((state.Halted || state.Token.IsCancellationRequested) && state.Plan.ClaimsTable)
        {
            await ledger.ReturnClaimsAsync(state.Run.Campaign, state.Holder, CancellationToken.None);
        }
    }

    /// <summary>Videos submitted by earlier runs and not finished: this run follows them too.</summary>
    public async Task FollowEarlierAsync()
    {
        if (!state.Plan.FollowsEarlier)
        {
            return;
        }

        var after = "";
        while (true)
        {
            var page = await ledger.PageAsync(state.Run.Campaign, LedgerState.Submitted, after, 1000, state.Token);
            foreach (var entry in page)
            {
                state.Progress.OnRendering();
                state.Follower.Add(entry.RecipientKey, entry.VideoId!, 0, submittedAt: entry.SubmittedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null);
            }

            if (page.Count < 1000)
            {
                return;
            }

            after = page[^1].RecipientKey;
        }
    }

    private async Task RenewLeasesAsync(string campaign, string holder, TimeSpan lease, CancellationToken ct)
    {
        var every = lease / 4;
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(every, time, ct);
            await ledger.RenewLeasesAsync(campaign, holder, lease, ct);
        }
    }
}
