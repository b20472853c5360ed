using BatchVideo.Ledger;

namespace BatchVideo.Campaigns;

/// <summary>The follower's look at the ledger before it asks HeyGen: what webhooks have settled already.</summary>
internal sealed partial class VideoFollower
{
    /// <summary>
    /// Stops following the due videos the ledger already shows finished (a webhook, here or on another node,
    /// recorded them), giving their slots back without asking HeyGen; returns the others. One indexed read
    /// per batch; a failed read asks HeyGen about all of them.
    /// </summary>
    private async Task<List<Followed>> SettledElsewhereAsync(List<Followed> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return batch;
        }

        Dictionary<string, LedgerEntry> entries;
        try
        {
            entries = await ledger.GetAsync(campaign, [.. batch.Select(v => v.Key)], ct);
        }
#pragma warning disable CA1031 // the ledger check only saves requests: when it fails, HeyGen is asked as before
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogPollFailed(logger, "(ledger)", e.Message);
            return batch;
        }

        var open = new List<Followed>(batch.Count);
        foreach (var video in batch)
        {
            if (!entries.TryGetValue(video.Key, out var entry) || entry.VideoId != video.VideoId
                || entry.State is not (LedgerState.Completed or LedgerState.Failed) || !schedule.Forget(video))
            {
                open.Add(video);
                continue;
            }

            if (entry.State == LedgerState.Completed)
            {
                // Recorded by a webhook: the ledger's completion time is when the video was seen finished.
                schedule.Observe(video, entry.CompletedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : time.GetUtcNow());
                NoteMissingCaptions(video.Key, entry.VideoId!, video.Line, entry.SubtitleUrl);
                progress.OnCompleted();
                breaker.OnSuccess();
            }
            else
            {
                var code = entry.ErrorCode ?? "failed";
                var failed = new RowProblem(RowOutcome.Failed, video.Line, video.Key, null, $"render failed ({code}): {entry.ErrorMessage}") { Code = code };
                progress.OnRenderFailed(failed);
                await RejectAsync(video, failed);
                breaker.OnFailure(code, entry.ErrorMessage ?? "HeyGen reported the render as failed");
            }
        }

        return open;
    }
}
