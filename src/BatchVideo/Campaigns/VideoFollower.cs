using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// Follows accepted videos until HeyGen says completed or failed and records every outcome in the ledger
/// as soon as it is known, giving the video's render slot back at once. A video is first asked about when
/// it is likely done (its script's estimated length times the render time per video second observed so
/// far), then again after a step that doubles up to the poll interval. When many videos are due at once
/// it reads the account's video list (newest first, a hundred per request) instead of asking for each
/// video, and asks one by one only for those the list did not show.
/// </summary>
/// <param name="settings">Poll interval, concurrency, not-found grace and signed-link lifetime.</param>
/// <param name="rejects">Writes a row whose render failed to the rejects file, as it happens.</param>
internal sealed partial class VideoFollower(
    LedgerStore ledger,
    HeyGenClient heyGen,
    Links.VideoStorage storage,
    HeyGenOptions settings,
    TimeProvider time,
    ILogger logger,
    string campaign,
    RunProgress progress,
    FailureBreaker breaker,
    RenderSlots? slots = null,
    RejectsSink? rejects = null)
{
    // From this many videos due at once, one list page (100 videos) costs fewer requests than a status
    // request each; a wave of renders under the job cap (10) finishing together is one page, not ten.
    private const int SweepThreshold = 4;

    // Bounds one pass; a list page holds 100 videos.
    private const int MaxDuePerPass = 10_000;
    private const int MaxSweepPages = 200;

    // The list is newest first and created_at has whole seconds from HeyGen's clock: a page older than the
    // oldest video looked for, by more than this margin, ends the sweep.
    private static readonly TimeSpan SweepMargin = TimeSpan.FromMinutes(5);

    // When each video is asked about next, and what the renders seen so far teach about the next ones.
    private readonly FollowSchedule schedule = new(settings.PollInterval, time, progress, slots);

    /// <summary>True when the campaign asks for captions, so a completed video without <c>subtitle_url</c> is noted.</summary>
    public bool AwaitsCaptions { get; init; }

    /// <summary>
    /// Completed videos whose caption file was not there yet (HeyGen has separate <c>avatar_video_caption.*</c> events,
    /// so it may come later): asked again before write-back (<see cref="CaptionCatchUp"/>).
    /// </summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Key, string VideoId, long Line)> CaptionsPending { get; } = new();

    /// <summary>Told when the ledger cannot be written (a full disk): the follower stops, and so does the run.</summary>
    public Action<LedgerUnavailableException> LedgerLost { get; init; } = _ => { };

    /// <summary>
    /// Follows a video; <paramref name="slot"/> is given back when it is recorded finished, and
    /// <paramref name="length"/> (the script's estimated video length) says when to ask first.
    /// </summary>
    /// <param name="submittedAt">When HeyGen accepted the create, if known (default: now).</param>
    /// <param name="row">The row as read, for the rejects file should the render fail (null: looked up by key then).</param>
    public void Add(string key, string videoId, long line, RenderSlot? slot = null, TimeSpan? length = null, DateTimeOffset? submittedAt = null, Sources.SourceRow? row = null) =>
        schedule.Add(new Followed(key, videoId, line, submittedAt ?? time.GetUtcNow(), slot, length) { Row = row });

    /// <summary>
    /// Runs until the submissions are over and no video is left in flight; with <paramref name="singlePass"/>
    /// each video is asked once and the ones still rendering are left for a later pass; with
    /// <paramref name="untilSubmitted"/> videos are asked about only while rows wait for a render slot, and
    /// the follower stops with the last create (a later run or the completion job follows the rest).
    /// </summary>
    public async Task RunAsync(Task submissions, CancellationToken ct, bool singlePass = false, bool untilSubmitted = false)
    {
        var interval = settings.PollInterval;
        var idle = TimeSpan.FromMilliseconds(Math.Min(200, interval.TotalMilliseconds));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = ct };
        while (!ct.IsCancellationRequested)
        {
            if (untilSubmitted && (submissions.IsCompleted || slots is not { Waiting: > 0 }))
            {
                if (submissions.IsCompleted)
                {
                    return;
                }

                await Task.Delay(idle, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            // While the cap binds (rows wait for a slot) or only the last renders are left, every second of
            // a finished render unnoticed is lost: videos due within one step are checked together (one list
            // page when there are several) and checked again every step instead of backing off.
            var batch = schedule.TakeDue(hurry: slots is { Waiting: > 0 } || submissions.IsCompleted, MaxDuePerPass);
            if (batch.Count == 0)
            {
                // A single pass asks about each video once: videos still rendering stay followed but are
                // not due again, so the pass is over once nothing is due.
                if (submissions.IsCompleted && (schedule.IsEmpty || singlePass))
                {
                    return;
                }

                await Task.Delay(idle, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            // A result that cannot be recorded must not be polled for again and again: the run stops, and the
            // next one follows the video from its "submitted" entry.
            try
            {
                batch = await SettledElsewhereAsync(batch, ct);
                var unseen = batch.Count >= SweepThreshold ? await SweepAsync(batch, singlePass, ct) : batch;
                var polls = Parallel.ForEachAsync(unseen, parallel, async (video, token) =>
                {
                    if (!await PollAsync(video, token) && !singlePass)
                    {
                        schedule.Reschedule(video);
                    }
                });
                await polls.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (polls.Exception?.InnerExceptions.OfType<LedgerUnavailableException>().FirstOrDefault() is { } lost)
                {
                    throw lost;
                }
            }
            catch (LedgerUnavailableException lost)
            {
                LedgerLost(lost);
                return;
            }
        }
    }

    /// <summary>
    /// Reads the video list, newest first, until every due video was seen or the list is older than all
    /// of them; records each followed video the list shows finished (due or not). Returns the due videos
    /// the list did not show, for a status request each.
    /// </summary>
    private async Task<List<Followed>> SweepAsync(List<Followed> batch, bool singlePass, CancellationToken ct)
    {
        var wanted = batch.ToDictionary(v => v.VideoId, StringComparer.Ordinal);
        var oldest = batch.Min(v => v.AddedAt) - SweepMargin;
        var seen = new List<(Followed Video, VideoDetail Detail, bool Due)>();
        var listed = 0;
        var askedAt = time.GetUtcNow();
        try
        {
            await foreach (var detail in heyGen.ListVideosAsync(null, ct))
            {
                if (schedule.Find(detail.Id) is { } video)
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
            LogSweepFailed(logger, e.Message);
        }

        await Task.WhenAll(seen.Select(async s =>
        {
            if (!await RecordAsync(s.Video, s.Detail, askedAt, ct) && s.Due && !singlePass)
            {
                schedule.Reschedule(s.Video);
            }
        }));
        return [.. wanted.Values];
    }

    /// <summary>True when the video reached its end (or can no longer be followed).</summary>
    private async Task<bool> PollAsync(Followed followed, CancellationToken ct)
    {
        var (key, videoId, line) = (followed.Key, followed.SessionVideo ?? followed.VideoId, followed.Line);
        if (AgentSessions.TryGetSessionId(videoId, out var sessionId))
        {
            var (done, found) = await FollowSessionAsync(followed, sessionId, ct);
            if (found is null)
            {
                return done;
            }

            videoId = found;
        }

        VideoDetail video;
        var askedAt = time.GetUtcNow();
        try
        {
            video = await heyGen.GetVideoAsync(videoId, ct);
        }
        catch (HeyGenApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound
                                           && time.GetUtcNow() - followed.AddedAt < settings.NotFoundGrace)
        {
            // Just created: maybe not visible yet (read-after-write is not documented). Asked again later;
            // expected, so not a warning (HeyGen's documented 404 for a moment after a create).
            LogNotVisibleYet(logger, videoId, e.Message);
            return false;
        }
        catch (HeyGenApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            await ledger.MarkFailedAsync(campaign, key, "not_found", e.Code, e.ApiMessage, CancellationToken.None);
            var gone = new RowProblem(RowOutcome.Failed, line, key, null, $"video {videoId} is gone: {e.Message}") { Code = "not_found" };
            progress.OnRenderFailed(gone);
            await RejectAsync(followed, gone);
            schedule.Forget(followed);
            return true;
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            LogPollFailed(logger, videoId, e.Message);
            return false;
        }

        return await RecordAsync(followed, video, askedAt, ct);
    }

    /// <summary>Records a finished video in the ledger; false while it is still rendering.</summary>
    /// <param name="askedAt">When the request that brought <paramref name="video"/> was made, before any wait for an answer.</param>
    private async Task<bool> RecordAsync(Followed followed, VideoDetail video, DateTimeOffset askedAt, CancellationToken ct)
    {
        var (key, line) = (followed.Key, followed.Line);
        switch (video.Status)
        {
            case VideoStatus.Completed:
                if (!schedule.Forget(followed))
                {
                    return true; // recorded already, by the list or a status request
                }

                schedule.Observe(followed, askedAt);
                var expires = Links.SignedLinkExpiry.Of(video.VideoUrl, time.GetUtcNow(), settings.SignedLinkLifetime);
                await ledger.MarkCompletedAsync(campaign, key, VideoLinks.Of(video, expires), CancellationToken.None);
                NoteMissingCaptions(key, video.Id, line, video.SubtitleUrl);
                breaker.OnSuccess();
                if (await storage.StoreAsync(campaign, key, video.Id, video.VideoUrl, video.ThumbnailUrl, ct) is { } problem)
                {
                    // Its own problem: to resume, not completed, so the row is in one counter only.
                    progress.OnDownloadFailed(new RowProblem(RowOutcome.ToResume, line, key, null, $"video done, but {problem}; 'batchvideo refresh' downloads it again") { Code = "download_failed" });
                }
                else
                {
                    progress.OnCompleted();
                }

                return true;
            case VideoStatus.Failed:
                if (!schedule.Forget(followed))
                {
                    return true;
                }

                var code = video.FailureCode ?? "failed";
                var message = video.FailureMessage ?? "HeyGen reported the render as failed";
                await ledger.MarkFailedAsync(campaign, key, VideoStatus.Failed, code, message, CancellationToken.None);
                var failed = new RowProblem(RowOutcome.Failed, line, key, null, $"render failed ({code}): {message}") { Code = code };
                progress.OnRenderFailed(failed);
                await RejectAsync(followed, failed);
                breaker.OnFailure(code, message);
                return true;
            default:
                return false;
        }
    }

    private void NoteMissingCaptions(string key, string videoId, long line, string? subtitleUrl)
    {
        if (AwaitsCaptions && subtitleUrl is null)
        {
            CaptionsPending.Enqueue((key, videoId, line));
        }
    }

    private Task RejectAsync(Followed followed, RowProblem problem) =>
        rejects is null ? Task.CompletedTask : rejects.FailedAsync(followed.Key, followed.Row, problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status of video {VideoId} unavailable for now: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string videoId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Video {VideoId} not visible yet, just after its create; asking again later: {Reason}")]
    private static partial void LogNotVisibleYet(ILogger logger, string videoId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The video list is unavailable for now, asking video by video: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
