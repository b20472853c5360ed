namespace BatchVideo.Sandbox.Files;

/// <summary>The kinds of file a completed video offers.</summary>
internal enum MediaKind
{
    Video,
    CaptionedVideo,
    Thumbnail,
    Gif,
    Subtitles,
}

/// <summary>One downloadable file of a video, named <c>{video_id}{suffix}</c> under <c>/files/</c>.</summary>
internal readonly record struct MediaFile(MediaKind Kind, string VideoId, string FileName)
{
    private const string CaptionedSuffix = "_captioned";

    public static MediaFile Video(SandboxVideo video) =>
        new(MediaKind.Video, video.Id, $"{video.Id}.{video.OutputFormat}");

    public static MediaFile CaptionedVideo(SandboxVideo video) =>
        new(MediaKind.CaptionedVideo, video.Id, $"{video.Id}{CaptionedSuffix}.{video.OutputFormat}");

    public static MediaFile Thumbnail(SandboxVideo video) => new(MediaKind.Thumbnail, video.Id, video.Id + ".jpg");

    public static MediaFile Gif(SandboxVideo video) => new(MediaKind.Gif, video.Id, video.Id + ".gif");

    public static MediaFile Subtitles(SandboxVideo video) => new(MediaKind.Subtitles, video.Id, video.Id + ".srt");

    public string Extension => Path.GetExtension(FileName).TrimStart('.');

    public string ContentType => Extension switch
    {
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "jpg" => "image/jpeg",
        "gif" => "image/gif",
        "srt" => "application/x-subrip",
        _ => "application/octet-stream",
    };

    /// <summary>Splits a requested file name into video id and kind; false for names the sandbox never issues.</summary>
    public static bool TryParse(string fileName, out MediaFile file)
    {
        file = default;
        var dot = fileName.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        var stem = fileName[..dot];
        MediaKind kind;
        switch (fileName[(dot + 1)..])
        {
            case "mp4" or "webm":
                var captioned = stem.EndsWith(CaptionedSuffix, StringComparison.Ordinal);
                if (captioned)
                {
                    stem = stem[..^CaptionedSuffix.Length];
                }

                kind = captioned ? MediaKind.CaptionedVideo : MediaKind.Video;
                break;
            case "jpg":
                kind = MediaKind.Thumbnail;
                break;
            case "gif":
                kind = MediaKind.Gif;
                break;
            case "srt":
                kind = MediaKind.Subtitles;
                break;
            default:
                return false;
        }

        if (stem.Length == 0)
        {
            return false;
        }

        file = new MediaFile(kind, stem, fileName);
        return true;
    }

    /// <summary>True when this video really has this file (its format, its captions).</summary>
    public bool BelongsTo(SandboxVideo video) => Kind switch
    {
        MediaKind.Video => FileName == Video(video).FileName,
        MediaKind.CaptionedVideo => video.BurnsInCaptions && FileName == CaptionedVideo(video).FileName,
        MediaKind.Subtitles => video.HasCaptions,
        MediaKind.Thumbnail or MediaKind.Gif => true,
        _ => false,
    };
}
