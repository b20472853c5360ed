using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Links;

namespace BatchVideo.WriteBack;

/// <summary>
/// Chooses, per campaign, which of a video's links goes into the write-back URL column, and answers the
/// questions the run, the refresh and the completion pass ask of that choice (the only place that reads it).
/// </summary>
public static class WriteBackLink
{
    public static string? For(LedgerEntry entry, UrlField urlField, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(storage);
        return urlField switch
        {
            // Some videos may come without a page URL; a link that expires beats no link.
            UrlField.Page => entry.VideoPageUrl ?? entry.VideoUrl,
            UrlField.Signed => entry.VideoUrl,
            UrlField.Download => entry.LocalPath is { } path ? Published(path, storage) : null,
            _ => throw new ArgumentOutOfRangeException(nameof(urlField), urlField, "UrlField must be page, signed or download."),
        };
    }

    /// <summary>The campaign writes HeyGen's page links: whether they play without a login is undocumented (<c>batchvideo links check</c>).</summary>
    public static bool WritesPageLinks(CampaignOptions campaign) => campaign?.UrlField == UrlField.Page;

    /// <summary>The campaign writes signed links, which expire: <c>batchvideo refresh</c> renews them.</summary>
    public static bool WritesSignedLinks(CampaignOptions campaign) => campaign?.UrlField == UrlField.Signed;

    /// <summary>The campaign writes its own copies: every completed video's file is stored in <c>Storage:Folder</c>.</summary>
    public static bool StoresFiles(CampaignOptions campaign) => campaign?.UrlField == UrlField.Download;

    /// <summary>The configuration word of a link choice (<c>page</c>, <c>signed</c>, <c>download</c>), for messages.</summary>
    public static string Word(UrlField urlField) => urlField.ToString().ToLowerInvariant();

    /// <summary>The local path, or the public base URL plus the path under the storage folder.</summary>
    public static string Published(string localPath, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.PublicBaseUrl is not { } baseUrl || storage.Folder is not { } folder)
        {
            return localPath;
        }

        var relative = Path.GetRelativePath(folder, localPath).Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString);
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        return root + string.Join('/', relative);
    }
}
