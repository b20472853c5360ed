using BatchVideo.Ledger;

namespace BatchVideo.Links;

/// <summary>Chooses, per campaign, which of a video's links goes into the write-back URL column.</summary>
public static class WriteBackLink
{
    public static string? For(LedgerEntry entry, string urlField, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(storage);
        return urlField switch
        {
            // Some videos may come without a page URL; a link that expires beats no link.
            UrlField.Page => entry.VideoPageUrl ?? entry.VideoUrl,
            UrlField.Presigned => entry.VideoUrl,
            UrlField.Download => entry.LocalPath is { } path ? Published(path, storage) : null,
            _ => throw new ArgumentOutOfRangeException(nameof(urlField), urlField, "UrlField must be page, signed or download."),
        };
    }

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
