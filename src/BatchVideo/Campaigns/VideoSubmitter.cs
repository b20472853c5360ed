using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// Sends one row's create: budget, render slot, ledger claim, <c>POST /v3/videos</c>, and the answer into
/// the ledger. A refusal for the account's job cap is not the row's failure: the row waits for the next
/// free slot (and the Retry-After) and is sent again with the same Idempotency-Key.
/// </summary>
internal sealed partial class VideoSubmitter(LedgerStore ledger, HeyGenClient heyGen, HeyGenOptions settings, TimeSpan claimLease, TimeProvider time, ILogger logger)
{
    // HeyGen keeps an Idempotency-Key for 24 hours; past this age a replay could create a second
    // video, so an unanswered create is first looked for by its title marker.
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromHours(23);

    /// <summary>How long a create already sent may still take once the run is asked to stop.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <param name="preflight">The pre-flight's price, for --max-spend (assumed when the pre-flight did not ask).</param>
    public async Task SubmitAsync(RunState state, Submission submission, PreflightOutcome preflight)
    {
        var run = state.Run;
        var campaign = run.Campaign;
        var key = submission.Key;
        var control = state.Control;
        if (state.Halted)
        {
            return; // fed before the run halted: it stays pending for the next run
        }

        if (run.Request.MaxCredits is { } budget
            && !control.TryReserve(preflight.Rate.Of(VideoRequests.MinutesOf(run.Options, submission.Rendered.Script!)), budget))
        {
            var notSent = preflight.Estimate is { } estimate ? $"{Math.Max(0, estimate.Videos - control.ReservedVideos)} rows not sent" : "rows not sent";
            control.BudgetReached($"--max-spend {Spend.Amount(budget, preflight.Unit)} reached (estimated spend {Spend.Amount(control.Reserved, preflight.Unit)}); {notSent} stay pending, and a rerun continues with them.");
            return;
        }

        // Taken before the claim: a row waiting for a slot is still pending, whoever stops the run.
        if (await TakeSlotAsync(state) is not { } slot)
        {
            return;
        }

        var marker = RecipientIdentity.Marker(campaign, key);
        var idempotencyKey = await ClaimAsync(state, submission, marker);
        if (idempotencyKey is null)
        {
            state.Slots.Return(slot);
            return;
        }

        var request = run.CreateRequest(key, submission.Rendered, settings.CallbackUrl);
        while (true)
        {
            if (!await AwaitTurnAsync(state, key))
            {
                state.Slots.Return(slot);
                await ReleaseUnsentAsync(state, key, idempotencyKey);
                state.Progress.OnDeferred(new RowProblem(
                    RowOutcome.ToResume, submission.Line, key, null, "stopped while waiting for a render slot; a rerun resumes it") { Code = "interrupted" });
                return;
            }

            var outcome = await CreateAsync(state, submission, request, idempotencyKey, slot);
            if (outcome is not { } refusal)
            {
                return;
            }

            state.Slots.ClaimWaiting(true);
            state.Slots.Refuse(slot, refusal.RetryAfter);
            LogCapRefused(logger, key, refusal.RetryAfter?.TotalSeconds);
            RenderSlot? next;
            try
            {
                next = await TakeSlotAsync(state);
            }
            finally
            {
                state.Slots.ClaimWaiting(false);
            }

            if (next is null)
            {
                // Stopped while waiting: the entry stays "submitting" and the next run replays the same key
                // (or, where the key is not trusted, sends it as a new attempt: HeyGen refused this one).
                await ReleaseUnsentAsync(state, key, idempotencyKey);
                state.Progress.OnDeferred(new RowProblem(
                    RowOutcome.ToResume, submission.Line, key, null, "stopped while waiting for a render slot; a rerun resumes it") { Code = "interrupted" });
                return;
            }

            slot = next;
        }
    }

    /// <summary>
    /// Waits until fewer than the cap of the account's videos are ahead of this claimed row in the ledger:
    /// the local slot bounds this process, this bounds every process sharing the ledger (they take turns in
    /// claim order). A count that has not moved for a minute may be stale entries, so the create then goes
    /// and HeyGen decides. False when the run stopped or halted meanwhile.
    /// </summary>
    private async Task<bool> AwaitTurnAsync(RunState state, string key)
    {
        var every = RenderSlots.LedgerLookInterval(settings.PollInterval);
        var last = -1L;
        var lastChange = time.GetTimestamp();
        try
        {
            while (true)
            {
                // This run's own claims that hold no slot are not counted: those waiting for a slot again after a
                // refusal (counting them would let rows holding every slot wait for rows waiting for a slot), and
                // creates left without an answer (not known to hold a slot at HeyGen; its 429 says so if they do).
                // Both were claimed earlier, so they are all among the ones ahead.
                var ahead = await ledger.CountAheadAsync(state.Run.Campaign, key, state.CreatesToken) - state.Slots.OwnClaimsWithoutSlot;
                if (ahead < state.Slots.EffectiveCap)
                {
                    return true;
                }

                if (ahead != last)
                {
                    LogWaitingTurn(logger, key, ahead, state.Slots.EffectiveCap, state.Slots.InUse, state.Slots.HeldElsewhere);
                    (last, lastChange) = (ahead, time.GetTimestamp());
                }
                else if (time.GetElapsedTime(lastChange) > RenderSlots.StaleAfter)
                {
                    return true;
                }

                await Task.Delay(every, time, state.CreatesToken);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Null once no create may be sent any more (the run stopped or halted while the row waited).</summary>
    private static async Task<RenderSlot?> TakeSlotAsync(RunState state)
    {
        // Not Halted: a row within the budget still goes after the budget is reached; the breaker and the
        // submission window end CreatesToken.
        if (state.CreatesToken.IsCancellationRequested || state.Token.IsCancellationRequested)
        {
            return null;
        }

        try
        {
            return await state.Slots.TakeAsync(state.CreatesToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends the create and records its outcome; the refusal when HeyGen's job cap was reached, else null.</summary>
    private async Task<HeyGenApiException?> CreateAsync(RunState state, Submission submission, VideoCreate request, string idempotencyKey, RenderSlot slot)
    {
        var campaign = state.Run.Campaign;
        var key = submission.Key;
        VideoCreated created;
        // A stop (SIGTERM, Ctrl+C, a fatal error elsewhere) lets a create already on its way finish and be
        // recorded, within a grace period; only then is it abandoned (and replayed by the next run).
        using var grace = new CancellationTokenSource();
        await using var onStop = state.Token.Register(() => grace.CancelAfter(StopGrace));
        try
        {
            created = await heyGen.CreateAsync(request, idempotencyKey, grace.Token);
        }
        catch (HeyGenApiException e) when (e.IsJobCapRefusal && !state.Token.IsCancellationRequested)
        {
            return e;
        }
        catch (HeyGenApiException e) when (e.Disposition == ErrorDisposition.FailRow)
        {
            state.Slots.Return(slot);
            await ledger.MarkFailedAsync(campaign, key, null, e.Code, e.ApiMessage, CancellationToken.None);
            var refused = new RowProblem(RowOutcome.Failed, submission.Line, key, e.Param, e.Message) { Code = e.Code };
            state.Progress.OnFailed(refused);
            await state.Rejects.FailedAsync(key, submission.Row, refused);
            state.Breaker.OnFailure(e.Code, e.ApiMessage);
            return null;
        }
        catch (HeyGenApiException e) when (e.Disposition == ErrorDisposition.StopBatch)
        {
            // HeyGen refused without creating anything: the row is sent again by the next run, under a new
            // attempt and key, since HeyGen may replay this key's refusal for 24 hours.
            state.Slots.Return(slot);
            await ledger.ReleaseAsync(campaign, key, RecipientIdentity.FollowingKey(idempotencyKey), e.Code, e.ApiMessage, CancellationToken.None);
            state.Stop($"HeyGen refused the batch: {e.Message}");
            return null;
        }
        catch (HeyGenApiException e) when (e.IsJobCapRefusal && !settings.TrustsIdempotencyKey(request.Route))
        {
            // Refused for the job cap while the run stops: nothing was made, so the claim is released, not left unknown.
            state.Slots.Return(slot);
            await ReleaseUnsentAsync(state, key, idempotencyKey);
            state.Progress.OnDeferred(new RowProblem(
                RowOutcome.ToResume, submission.Line, key, null, "stopped while waiting for a render slot; a rerun resumes it") { Code = "interrupted" });
            return null;
        }
        catch (Exception e) when (!settings.TrustsIdempotencyKey(request.Route)
                                  && (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException
                                      || (e is OperationCanceledException && grace.IsCancellationRequested)))
        {
            // Sent once to an endpoint that may ignore the key: a replay could make a second, paid video.
            state.Slots.Unanswered(slot);
            var why = e is OperationCanceledException ? "was interrupted before HeyGen answered" : $"got no answer HeyGen is known to have acted on ({e.Message})";
            await UnknownOutcome.RecordAsync(ledger, state, submission, UnknownOutcome.Reason(
                key, RecipientIdentity.Marker(campaign, key), AttemptOf(submission.Entry, idempotencyKey), time.GetUtcNow(), request.Route, why));
            return null;
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException
                                  || (e is OperationCanceledException && grace.IsCancellationRequested))
        {
            // The create may or may not have reached HeyGen; the entry stays "submitting" and the next
            // run replays it with the same Idempotency-Key, which cannot create a second video. Its slot
            // is given back: a create without an answer is not known to hold one.
            state.Slots.Unanswered(slot);
            state.Progress.OnDeferred(new RowProblem(
                RowOutcome.ToResume, submission.Line, key, null,
                e is OperationCanceledException ? "interrupted before HeyGen answered; a rerun resumes it" : $"no answer after retries ({e.Message}); a rerun resumes it")
            {
                Code = e is OperationCanceledException ? "interrupted" : "no_answer",
            });
            return null;
        }

        // Paid for: record it whatever happens to the run's token.
        await ledger.MarkSubmittedAsync(campaign, key, created.VideoId, created.Status, CancellationToken.None);
        state.Slots.Created(slot);
        LogSubmitted(logger, key, created.VideoId);
        if (created.SessionId is { } session)
        {
            await ledger.RecordSessionAsync(campaign, key, created.VideoId, session, CancellationToken.None);
            LogAgentSession(logger, key, session, created.VideoId);
        }

        var length = SpokenLength.Of(request.Text);
        state.Progress.OnSubmitted(length);
        state.Progress.OnRendering();
        state.Follower.Add(key, created.VideoId, submission.Line, slot, TimeSpan.FromMinutes(VideoRequests.MinutesOf(state.Run.Options, request.Text)), row: submission.Row);
        return null;
    }

    /// <summary>Claims the row in the ledger and picks the Idempotency-Key; null when the row must not be sent.</summary>
    private async Task<string?> ClaimAsync(RunState state, Submission submission, string marker)
    {
        var campaign = state.Run.Campaign;
        var key = submission.Key;
        var entry = submission.Entry;
        if (entry is null)
        {
            var first = RecipientIdentity.NextIdempotencyKey(campaign, key, entry, state.Run.Options.Type);
            if (await ledger.TryBeginSubmissionAsync(campaign, key, first, marker, CancellationToken.None))
            {
                return first;
            }

            // Another run claimed it between our lookup and now: it owns the recipient.
            state.Progress.OnAlreadyDone();
            return null;
        }

        switch (entry.State)
        {
            case LedgerState.Claimed when entry.ClaimedBy == state.Holder:
                // Claimed by this worker from a table: it becomes "submitting" before anything is sent.
                return await ledger.BeginSubmittingAsync(campaign, key, state.Holder, CancellationToken.None) ? entry.IdempotencyKey : null;
            case LedgerState.Pending or LedgerState.Rejected or LedgerState.Claimed:
                // Table work nobody is sending (the classifier saw no live lease): nothing was sent for it yet.
                return await TakeOverAsync(state, submission) ? entry.IdempotencyKey : null;
            case LedgerState.Failed:
                var next = RecipientIdentity.NextIdempotencyKey(campaign, key, entry, state.Run.Options.Type);
                if (await ledger.TryRetryFailedAsync(campaign, key, entry.Attempt, next, CancellationToken.None))
                {
                    return next;
                }

                state.Progress.OnAlreadyDone();
                return null;
            case LedgerState.Submitting when entry.ClaimedBy is not null && entry.ClaimedBy != state.Holder:
                // Another worker's submission whose lease ended: take it over, then replay it below.
                if (!await TakeOverAsync(state, submission))
                {
                    return null;
                }

                break;
            case LedgerState.Submitting:
                break;
            default:
                throw new InvalidOperationException($"Recipient '{key}' is '{entry.State}' in the ledger; the row decision never sends such a row.");
        }

        // "submitting": an earlier run sent (or was about to send) this create and never recorded the answer.
        // The attempt was claimed at updated_at (a --retry-failed re-claims an old entry); the window counts from then.
        var claimedAt = DateTimeOffset.FromUnixTimeMilliseconds(entry.UpdatedAt);
        var age = time.GetUtcNow() - claimedAt;
        var route = state.Run.VideoType.RouteOf(state.Run.Options);
        if (!settings.TrustsIdempotencyKey(route) || (age > ReplayWindow && !state.Run.VideoType.CarriesTitle))
        {
            // Not replayed: the endpoint may ignore the key, or (agent, past the key's window) nothing can be searched.
            var why = settings.TrustsIdempotencyKey(route)
                ? "was never answered and its key's 24 hours are over (a Video Agent create has no title to search)"
                : "was never answered (the run ended before the answer was recorded)";
            await UnknownOutcome.RecordAsync(ledger, state, submission, UnknownOutcome.Reason(key, entry.TitleMarker, entry.Attempt, claimedAt, route, why));
            return null;
        }

        if (age > ReplayWindow && await FindByMarkerAsync(entry, state.Token) is { } found)
        {
            await ledger.MarkSubmittedAsync(campaign, key, found.Id, found.Status, CancellationToken.None);
            state.Progress.OnRendering();
            state.Follower.Add(key, found.Id, submission.Line, null, null, row: submission.Row); // the ledger counts its slot
            return null;
        }

        return entry.IdempotencyKey;
    }

    /// <summary>Takes the entry over under this run's lease; when another worker was quicker, the row is counted as in progress there.</summary>
    private async Task<bool> TakeOverAsync(RunState state, Submission submission)
    {
        if (await ledger.TakeOverAsync(state.Run.Campaign, submission.Key, state.Holder, claimLease, CancellationToken.None))
        {
            return true;
        }

        state.Progress.OnInProgressElsewhere(new RowProblem(
            RowOutcome.InProgressElsewhere, submission.Line, submission.Key, null, "in progress elsewhere: another worker claimed it first")
        {
            Code = "in_progress_elsewhere",
        });
        return false;
    }

    /// <summary>
    /// A claimed create that was never sent (the run stopped while it waited), where the endpoint is not trusted to
    /// honour the key: released, so the next run sends it as a new attempt instead of taking it for unanswered.
    /// Where the key is trusted the entry stays "submitting" and is replayed with its key.
    /// </summary>
    private async Task ReleaseUnsentAsync(RunState state, string key, string idempotencyKey)
    {
        if (!settings.TrustsIdempotencyKey(state.Run.VideoType.RouteOf(state.Run.Options)))
        {
            await ledger.ReleaseAsync(
                state.Run.Campaign, key, RecipientIdentity.FollowingKey(idempotencyKey), "interrupted", "stopped before the create was sent", CancellationToken.None);
        }
    }

    /// <summary>The attempt an Idempotency-Key of <see cref="RecipientIdentity.IdempotencyKey"/> names.</summary>
    private static int AttemptOf(LedgerEntry? entry, string idempotencyKey) =>
        int.TryParse(idempotencyKey.AsSpan(idempotencyKey.LastIndexOf("-a", StringComparison.Ordinal) + 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var attempt)
            ? attempt
            : entry?.Attempt ?? 1;

    private async Task<VideoDetail?> FindByMarkerAsync(LedgerEntry entry, CancellationToken ct)
    {
        await foreach (var video in heyGen.ListVideosAsync(entry.TitleMarker, ct))
        {
            // The marker names the recipient, not the attempt: on a retry, a failed video with it is the
            // earlier attempt's, which must not be adopted again.
            if (video.Title?.Contains(entry.TitleMarker, StringComparison.Ordinal) == true
                && !(entry.Attempt > 1 && video.Status == VideoStatus.Failed))
            {
                return video;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Key} waits its turn: {Ahead} of the account's videos ahead of it, {Cap} slots, {InUse} held by this run, {Others} elsewhere")]
    private static partial void LogWaitingTurn(ILogger logger, string key, long ahead, int cap, int inUse, int others);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Video Agent session {SessionId} of {Key} renders video {VideoId}")]
    private static partial void LogAgentSession(ILogger logger, string key, string sessionId, string videoId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Submitted {Key} as {VideoId}")]
    private static partial void LogSubmitted(ILogger logger, string key, string videoId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Create of {Key} refused for the account's job cap (Retry-After {RetryAfter} s); it waits for a render slot")]
    private static partial void LogCapRefused(ILogger logger, string key, double? retryAfter);
}
