namespace BatchVideo.Ledger;

/// <summary>The links of a completed video as HeyGen last gave them; a null is "not in this answer", never "erase".</summary>
/// <param name="VideoUrl">Presigned MP4 link; expires.</param>
/// <param name="PageUrl">The video's page in HeyGen's app (<c>video_page_url</c>); stable.</param>
/// <param name="ThumbnailUrl">Presigned thumbnail link; expires with the video link.</param>
/// <param name="ExpiresAt">Unix milliseconds when the signed links stop working, when known or estimated.</param>
public sealed record VideoLinks(string? VideoUrl, string? PageUrl, string? ThumbnailUrl, long? ExpiresAt)
{
    /// <summary>A share page, when HeyGen gives one (<c>video_share_page_url</c> in observed webhook deliveries).</summary>
    public string? SharePageUrl { get; init; }

    /// <summary>Animated GIF preview (<c>gif_url</c>, or a webhook's <c>gif_download_url</c>).</summary>
    public string? GifUrl { get; init; }

    /// <summary>The video with captions burned in (<c>captioned_video_url</c>); presigned.</summary>
    public string? CaptionedVideoUrl { get; init; }

    /// <summary>The SRT subtitles (<c>subtitle_url</c>); presigned.</summary>
    public string? SubtitleUrl { get; init; }

    /// <summary>Length in seconds (<c>duration</c>).</summary>
    public double? Duration { get; init; }

    /// <summary>Every link and fact of a video detail, with the signed link's expiry.</summary>
    public static VideoLinks Of(HeyGen.VideoDetail video, long? expiresAt)
    {
        System.ArgumentNullException.ThrowIfNull(video);
        return new VideoLinks(video.VideoUrl, video.VideoPageUrl, video.ThumbnailUrl, expiresAt)
        {
            GifUrl = video.GifUrl,
            CaptionedVideoUrl = video.CaptionedVideoUrl,
            SubtitleUrl = video.SubtitleUrl,
            Duration = video.Duration,
        };
    }
}
