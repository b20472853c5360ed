using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// Caption files that come after their video: HeyGen reports captions with their own events
/// (<c>avatar_video_caption.success</c>, OpenAPI and the webhook events page), so a completed video may have no
/// <c>subtitle_url</c> yet. Before the write-back, each such video is asked again every <c>PollInterval</c> for up to
/// <c>HeyGen:CaptionWait</c>; a caption cell is never left empty without a problem saying so.
/// </summary>
internal sealed class CaptionCatchUp(LedgerStore ledger, HeyGenClient heyGen, HeyGenOptions settings, TimeProvider time)
{
    public async Task RunAsync(string campaign, VideoFollower follower, RunProgress progress, CancellationToken ct)
    {
        var pending = new List<(string Key, string VideoId, long Line)>();
        while (follower.CaptionsPending.TryDequeue(out var video))
        {
            pending.Add(video);
        }

        var started = time.GetTimestamp();
        while (pending.Count > 0 && !ct.IsCancellationRequested)
        {
            var found = new List<(string Key, string VideoId, long Line)>();
            foreach (var video in pending)
            {
                if (await SubtitleAsync(campaign, video.Key, video.VideoId, ct))
                {
                    found.Add(video);
                }
            }

            pending.RemoveAll(found.Contains);
            if (pending.Count == 0 || time.GetElapsedTime(started) + settings.PollInterval > settings.CaptionWait)
            {
                break;
            }

            try
            {
                await Task.Delay(settings.PollInterval, time, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var (key, videoId, line) in pending)
        {
            progress.OnDeferred(new RowProblem(
                RowOutcome.ToResume, line, key, null,
                $"video {videoId} is done but HeyGen had no caption file for it yet; its caption cell stays empty until 'batchvideo refresh' (or a rerun) writes it")
            {
                Code = "captions_pending",
            });
        }
    }

    /// <summary>True once the video's caption file is known and recorded (links are kept, never erased).</summary>
    private async Task<bool> SubtitleAsync(string campaign, string key, string videoId, CancellationToken ct)
    {
        try
        {
            var video = await heyGen.GetVideoAsync(videoId, ct);
            if (video.SubtitleUrl is null)
            {
                return false;
            }

            await ledger.RenewLinksAsync(campaign, key, VideoLinks.Of(video, Links.SignedLinkExpiry.Of(video.VideoUrl, time.GetUtcNow(), settings.SignedLinkLifetime)), CancellationToken.None);
            return true;
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            return false;
        }
    }
}
