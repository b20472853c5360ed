using BatchVideo.Ledger;
using Microsoft.Extensions.Options;

namespace BatchVideo.Links;

/// <summary>
/// Keeps our own copy of each finished video (and its thumbnail) in <c>Storage:Folder</c>, one
/// subfolder per campaign, named by video id, and records the path in the ledger.
/// </summary>
/// <param name="options">The <c>Storage</c> section (bound with the campaigns, registered on its own so this folder needs none of them).</param>
public sealed class VideoStorage(VideoDownloader downloader, LedgerStore ledger, IOptions<StorageOptions> options)
{
    public StorageOptions Options => options.Value;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Options.Folder);

    /// <summary>Where a video of a campaign is stored.</summary>
    public string PathOf(string campaign, string videoId, string extension)
    {
        var folder = string.Concat(campaign.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));
        return Path.Combine(Options.Folder!, folder, videoId + "." + extension);
    }

    /// <summary>Downloads the video (and thumbnail) unless already there; null on success, else why not.</summary>
    public async Task<string?> StoreAsync(string campaign, string key, string videoId, string? videoUrl, string? thumbnailUrl, CancellationToken ct)
    {
        if (!IsEnabled)
        {
            return null;
        }

        if (videoUrl is null)
        {
            return "HeyGen gave no video link to download";
        }

        var path = PathOf(campaign, videoId, "mp4");
        if (!File.Exists(path))
        {
            var video = await downloader.DownloadAsync(new Uri(videoUrl), path, ct);
            if (!video.Succeeded)
            {
                return $"the download failed ({video.Problem})";
            }
        }

        if (Options.Thumbnails && thumbnailUrl is not null && PathOf(campaign, videoId, "jpg") is var thumbnail && !File.Exists(thumbnail))
        {
            // A missing thumbnail is no reason to hold the row back.
            await downloader.DownloadAsync(new Uri(thumbnailUrl), thumbnail, ct);
        }

        await ledger.SetLocalPathAsync(campaign, key, path, ct);
        return null;
    }
}
