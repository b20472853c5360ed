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

/// <summary>The link a campaign writes into its URL column.</summary>
public static class UrlField
{
    /// <summary>The video's page in HeyGen's app: stable, never expires (the default).</summary>
    public const string Page = "page";

    /// <summary>The presigned MP4 link: plays anywhere, but expires; <c>batchvideo refresh</c> renews it.</summary>
    public const string Presigned = "signed";

    /// <summary>Our own copy in <c>Storage:Folder</c>: its path, or <c>Storage:PublicBaseUrl</c> plus its name.</summary>
    public const string Download = "download";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Page, Presigned, Download };
}
