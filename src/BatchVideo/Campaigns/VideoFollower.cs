using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// Follows accepted videos until HeyGen says completed or failed, polling each one no more often than
/// the poll interval, and records every outcome in the ledger as soon as it is known. When many videos
/// are due at once it reads the account's video list (newest first, a hundred per request) instead of
/// asking for each video, and asks one by one only for those the list did not show.
/// </summary>
internal sealed partial class VideoFollower(CampaignRunner runner, string campaign, RunProgress progress, FailureBreaker breaker)
{
    // From this many videos due at once, paging the list costs fewer requests than one status request each.
    private const int SweepThreshold = 16;

    // Bounds one pass; a list page holds 100 videos.
    private const int MaxDuePerPass = 10_000;
    private const int MaxSweepPages = 200;

    // The list is newest first and created_at has whole seconds from HeyGen's clock: a page older than the
    // oldest video looked for, by more than this margin, ends the sweep.
    private static readonly TimeSpan SweepMargin = TimeSpan.FromMinutes(5);

    private readonly Lock gate = new();
    private readonly PriorityQueue<Followed, long> due = new();
    private readonly Dictionary<string, Followed> following = new(StringComparer.Ordinal);

    /// <param name="submittedAt">When HeyGen accepted the create, if known (default: now).</param>
    public void Add(string key, string videoId, long line, DateTimeOffset? submittedAt = null)
    {
        var time = runner.Time;
        var followed = new Followed(key, videoId, line, submittedAt ?? time.GetUtcNow());
        lock (gate)
        {
            following[videoId] = followed;
            due.Enqueue(followed, time.GetTimestamp());
        }
    }

    /// <summary>
    /// Runs until the submissions are over and no video is left in flight; with <paramref name="singlePass"/>
    /// each video is asked once and the ones still rendering are left for a later pass.
    /// </summary>
    public async Task RunAsync(Task submissions, HeyGenOptions options, CancellationToken ct, bool singlePass = false)
    {
        var time = runner.Time;
        var interval = options.PollInterval;
        var idle = TimeSpan.FromMilliseconds(Math.Min(200, interval.TotalMilliseconds));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = ct };
        while (!ct.IsCancellationRequested)
        {
            var batch = TakeDue(time.GetTimestamp(), MaxDuePerPass);
            if (batch.Count == 0)
            {
                // A single pass asks about each video once: videos still rendering stay followed but are
                // not due again, so the pass is over once nothing is due.
                if (submissions.IsCompleted && (IsEmpty || singlePass))
                {
                    return;
                }

                await Task.Delay(idle, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            var unseen = batch.Count >= SweepThreshold ? await SweepAsync(batch, singlePass, interval, ct) : batch;
            await Parallel.ForEachAsync(unseen, parallel, async (video, token) =>
            {
                if (!await PollAsync(video, token) && !singlePass)
                {
                    Reschedule(video, interval);
                }
            }).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private bool IsEmpty
    {
        get
        {
            lock (gate)
            {
                return following.Count == 0;
            }
        }
    }

    private List<Followed> TakeDue(long now, int max)
    {
        var batch = new List<Followed>();
        lock (gate)
        {
            while (batch.Count < max && due.TryPeek(out var video, out var at) && at <= now)
            {
                due.Dequeue();
                // A video the list already showed finished is no longer followed.
                if (following.TryGetValue(video.VideoId, out var current) && ReferenceEquals(current, video))
                {
                    batch.Add(video);
                }
            }
        }

        return batch;
    }

    private void Reschedule(Followed video, TimeSpan interval)
    {
        var time = runner.Time;
        var next = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
        lock (gate)
        {
            due.Enqueue(video, next);
        }
    }

    /// <summary>
    /// Reads the video list, newest first, until every due video was seen or the list is older than all
    /// of them; records each followed video the list shows finished (due or not). Returns the due videos
    /// the list did not show, for a status request each.
    /// </summary>
    private async Task<List<Followed>> SweepAsync(List<Followed> batch, bool singlePass, TimeSpan interval, CancellationToken ct)
    {
        var wanted = batch.ToDictionary(v => v.VideoId, StringComparer.Ordinal);
        var oldest = batch.Min(v => v.AddedAt) - SweepMargin;
        var seen = new List<(Followed Video, VideoDetail Detail, bool Due)>();
        var listed = 0;
        try
        {
            await foreach (var detail in runner.HeyGen.ListVideosAsync(null, ct))
            {
                Followed? video;
                lock (gate)
                {
                    following.TryGetValue(detail.Id, out video);
                }

                if (video is not null)
                {
                    seen.Add((video, detail, wanted.Remove(detail.Id)));
                }

                // Stop at a page boundary, so no request is made for a page that is not needed.
                if (++listed % 100 == 0 && (wanted.Count == 0 || listed >= MaxSweepPages * 100
                    || (detail.CreatedAt is { } created && DateTimeOffset.FromUnixTimeSeconds(created) < oldest)))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            LogSweepFailed(runner.Logger, e.Message);
        }

        await Task.WhenAll(seen.Select(async s =>
        {
            if (!await RecordAsync(s.Video, s.Detail, ct) && s.Due && !singlePass)
            {
                Reschedule(s.Video, interval);
            }
        }));
        return [.. wanted.Values];
    }

    /// <summary>True when the video reached its end (or can no longer be followed).</summary>
    private async Task<bool> PollAsync(Followed followed, CancellationToken ct)
    {
        var (key, videoId, line, _) = followed;
        VideoDetail video;
        try
        {
            video = await runner.HeyGen.GetVideoAsync(videoId, ct);
        }
        catch (HeyGenApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound
                                           && runner.Time.GetUtcNow() - followed.AddedAt < runner.HeyGenSettings.NotFoundGrace)
        {
            // Just created: maybe not visible yet (read-after-write is not documented). Asked again later.
            LogPollFailed(runner.Logger, videoId, e.Message);
            return false;
        }
        catch (HeyGenApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            await runner.Ledger.MarkFailedAsync(campaign, key, "not_found", e.Code, e.ApiMessage, CancellationToken.None);
            progress.OnRenderFailed(new RowReport(RowOutcome.Failed, line, key, null, $"video {videoId} is gone: {e.Message}") { Code = "not_found" });
            Forget(followed);
            return true;
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            LogPollFailed(runner.Logger, videoId, e.Message);
            return false;
        }

        return await RecordAsync(followed, video, ct);
    }

    /// <summary>Records a finished video in the ledger; false while it is still rendering.</summary>
    private async Task<bool> RecordAsync(Followed followed, VideoDetail video, CancellationToken ct)
    {
        var (key, _, line, _) = followed;
        switch (video.Status)
        {
            case VideoStatus.Completed:
                if (!Forget(followed))
                {
                    return true; // recorded already, by the list or a status request
                }

                var expires = Links.SignedLinkExpiry.Of(video.VideoUrl, runner.Time.GetUtcNow(), runner.HeyGenSettings.SignedLinkLifetime);
                await runner.Ledger.MarkCompletedAsync(campaign, key, VideoLinks.Of(video, expires), CancellationToken.None);
                progress.OnCompleted();
                breaker.OnSuccess();
                if (await runner.Storage.StoreAsync(campaign, key, video.Id, video.VideoUrl, video.ThumbnailUrl, ct) is { } problem)
                {
                    progress.OnDeferred(new RowReport(RowOutcome.Deferred, line, key, null, $"video done, but {problem}; 'batchvideo refresh' downloads it again"));
                }

                return true;
            case VideoStatus.Failed:
                if (!Forget(followed))
                {
                    return true;
                }

                var code = video.FailureCode ?? "failed";
                var message = video.FailureMessage ?? "HeyGen reported the render as failed";
                await runner.Ledger.MarkFailedAsync(campaign, key, VideoStatus.Failed, code, message, CancellationToken.None);
                progress.OnRenderFailed(new RowReport(RowOutcome.Failed, line, key, null, $"render failed ({code}): {message}") { Code = code });
                breaker.OnFailure(code, message);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Stops following a video; false when it was no longer followed.</summary>
    private bool Forget(Followed followed)
    {
        lock (gate)
        {
            return following.TryGetValue(followed.VideoId, out var current) && ReferenceEquals(current, followed)
                && following.Remove(followed.VideoId);
        }
    }

    /// <summary>
    /// One video in flight; <see cref="AddedAt"/> (its submission, or when it was first followed) bounds how
    /// far back the list is read for it and how long a 404 is taken for "not visible yet".
    /// </summary>
    private sealed record Followed(string Key, string VideoId, long Line, DateTimeOffset AddedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status of video {VideoId} unavailable for now: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string videoId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The video list is unavailable for now, asking video by video: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
