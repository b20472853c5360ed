using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// Follows accepted videos until HeyGen says completed or failed, polling each one no more often than
/// the poll interval, and records every outcome in the ledger as soon as it is known.
/// </summary>
internal sealed partial class VideoFollower(CampaignRunner runner, string campaign, RunProgress progress, FailureBreaker breaker)
{
    private readonly Lock gate = new();
    private readonly PriorityQueue<(string Key, string VideoId, long Line), long> due = new();

    public void Add(string key, string videoId, long line)
    {
        var first = runner.Time.GetTimestamp();
        lock (gate)
        {
            due.Enqueue((key, videoId, line), first);
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
            var batch = TakeDue(time.GetTimestamp(), options.MaxConcurrency * 4);
            if (batch.Count == 0)
            {
                if (submissions.IsCompleted && IsEmpty)
                {
                    return;
                }

                await Task.Delay(idle, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            await Parallel.ForEachAsync(batch, parallel, async (video, token) =>
            {
                if (!await PollAsync(video, token) && !singlePass)
                {
                    var next = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
                    lock (gate)
                    {
                        due.Enqueue(video, next);
                    }
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
                return due.Count == 0;
            }
        }
    }

    private List<(string Key, string VideoId, long Line)> TakeDue(long now, int max)
    {
        var batch = new List<(string, string, long)>();
        lock (gate)
        {
            while (batch.Count < max && due.TryPeek(out var video, out var at) && at <= now)
            {
                due.Dequeue();
                batch.Add(video);
            }
        }

        return batch;
    }

    /// <summary>True when the video reached its end (or can no longer be followed).</summary>
    private async Task<bool> PollAsync((string Key, string VideoId, long Line) followed, CancellationToken ct)
    {
        var (key, videoId, line) = followed;
        VideoDetail video;
        try
        {
            video = await runner.HeyGen.GetVideoAsync(videoId, ct);
        }
        catch (HeyGenApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            await runner.Ledger.MarkFailedAsync(campaign, key, "not_found", e.Code, e.ApiMessage, CancellationToken.None);
            progress.OnRenderFailed(new RowReport(RowOutcome.Failed, line, key, null, $"video {videoId} is gone: {e.Message}") { Code = "not_found" });
            return true;
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            LogPollFailed(runner.Logger, videoId, e.Message);
            return false;
        }

        switch (video.Status)
        {
            case VideoStatus.Completed:
                var expires = Links.SignedLinkExpiry.Of(video.VideoUrl, runner.Time.GetUtcNow(), runner.HeyGenSettings.SignedLinkLifetime);
                await runner.Ledger.MarkCompletedAsync(campaign, key, new VideoLinks(video.VideoUrl, video.VideoPageUrl, video.ThumbnailUrl, expires), CancellationToken.None);
                progress.OnCompleted();
                breaker.OnSuccess();
                if (await runner.Storage.StoreAsync(campaign, key, video.Id, video.VideoUrl, video.ThumbnailUrl, ct) is { } problem)
                {
                    progress.OnDeferred(new RowReport(RowOutcome.Deferred, line, key, null, $"video done, but {problem}; 'batchvideo refresh' downloads it again"));
                }

                return true;
            case VideoStatus.Failed:
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status of video {VideoId} unavailable for now: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string videoId, string reason);
}
