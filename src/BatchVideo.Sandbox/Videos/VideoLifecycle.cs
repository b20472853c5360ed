using BatchVideo.Sandbox.Files;

namespace BatchVideo.Sandbox.Videos;

/// <summary>The statuses of HeyGen's VideoStatus enum.</summary>
internal enum VideoStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
}

/// <summary>
/// Where a video is in its life at a given time, and how it looks to a client then. Nothing is stored
/// per status: every state follows from the creation time, the render time and the clock.
/// </summary>
internal static class VideoLifecycle
{
    // Pending for the first fifth of the render, as a real queue would hold a job before rendering.
    private const double PendingShare = 0.2;

    // Roughly how fast an avatar speaks, to make durations plausible.
    private const double WordsPerSecond = 2.5;

    public const string FailureCode = "rendering_failed";

    public static VideoStatus StatusAt(SandboxVideo video, DateTimeOffset now)
    {
        if (now >= video.FinishesAt)
        {
            return video.FailsRendering ? VideoStatus.Failed : VideoStatus.Completed;
        }

        var pendingUntil = video.CreatedAt + ((video.FinishesAt - video.CreatedAt) * PendingShare);
        return now < pendingUntil ? VideoStatus.Pending : VideoStatus.Processing;
    }

    public static double EstimateDuration(string script) => Math.Round(CountWords(script) / WordsPerSecond, 1);

    /// <summary>The detail a client sees now; signed links are minted afresh on every call, as HeyGen does.</summary>
    /// <param name="captionLag">How long after completion the caption file appears (<see cref="SandboxOptions.CaptionLag"/>).</param>
    public static VideoDetail Describe(SandboxVideo video, DateTimeOffset now, SignedUrls urls, TimeSpan captionLag = default)
    {
        var status = StatusAt(video, now);
        var completed = status == VideoStatus.Completed;
        var failed = status == VideoStatus.Failed;
        var finished = completed || failed;
        return new VideoDetail(
            Id: video.Id,
            Title: video.Title,
            Status: StatusName(status),
            CreatedAt: video.CreatedAt.ToUnixTimeSeconds(),
            CompletedAt: finished ? video.FinishesAt.ToUnixTimeSeconds() : null,
            VideoUrl: completed ? urls.For(MediaFile.Video(video), now) : null,
            ThumbnailUrl: completed ? urls.For(MediaFile.Thumbnail(video), now) : null,
            GifUrl: completed ? urls.For(MediaFile.Gif(video), now) : null,
            CaptionedVideoUrl: completed && video.BurnsInCaptions ? urls.For(MediaFile.CaptionedVideo(video), now) : null,
            SubtitleUrl: completed && video.HasCaptions && now >= video.FinishesAt + captionLag ? urls.For(MediaFile.Subtitles(video), now) : null,
            Duration: completed ? video.DurationSeconds ?? EstimateDuration(video.Script) : null,
            FolderId: null,
            OutputLanguage: null,
            FailureCode: failed ? FailureCode : null,
            FailureMessage: failed ? "Avatar rendering failed (the sandbox was asked to fail this script)." : null,
            VideoPageUrl: urls.PageFor(video.Id));
    }

    public static string StatusName(VideoStatus status) => status switch
    {
        VideoStatus.Pending => "pending",
        VideoStatus.Processing => "processing",
        VideoStatus.Completed => "completed",
        VideoStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static int CountWords(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                words++;
            }

            inWord = !space;
        }

        return words;
    }
}
