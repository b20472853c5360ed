namespace BatchVideo.Links;

/// <summary>Where downloaded videos go, and how a download is named in the write-back column.</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// Folder for downloaded MP4s (and thumbnails), one subfolder per campaign; relative to the
    /// configuration file. Unset: nothing is downloaded.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>
    /// When set, a downloaded video is written back as this URL plus its path under <see cref="Folder"/>
    /// (e.g. a CDN or bucket that serves the folder); otherwise as the local file path.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Also download each video's thumbnail.</summary>
    public bool Thumbnails { get; set; } = true;
}
