using System.Collections.Concurrent;
using BatchVideo.Campaigns;
using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using BatchVideo.Links;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace BatchVideo.Pages;

/// <summary>The video and poster a page shows: absolute addresses, or paths on serve for a stored copy served from disk.</summary>
public sealed record PageMedia(string VideoUrl, string? PosterUrl);

/// <summary>
/// Chooses what a recipient page plays. A campaign that downloads (<c>UrlField: download</c>) plays its own stored
/// copy: at <c>Storage:PublicBaseUrl</c> when set, else served by serve from the storage folder. Any other plays
/// HeyGen's signed link, but never one that expires within <c>Pages:MinLinkLife</c>: such a link is replaced by a
/// fresh one (<c>GET /v3/videos/{id}</c> signs afresh), stored in the ledger for every node, before the page is
/// sent. When HeyGen cannot be asked, a stored link that still works is used; an expired one never is.
/// </summary>
/// <remarks>Transient, as the typed <see cref="HeyGenClient"/> it uses; refreshes in flight are shared through <see cref="PageLinkRefreshes"/>.</remarks>
public sealed partial class PageMediaResolver(
    LedgerStore ledger,
    HeyGenClient heyGen,
    PageLinkRefreshes refreshing,
    IOptions<BatchVideoOptions> options,
    IOptions<PagesOptions> pages,
    IOptions<HeyGenOptions> heyGenOptions,
    TimeProvider time,
    ILogger<PageMediaResolver> logger)
{
    /// <summary>How long a stored link must still work to be shown when a fresh one cannot be had.</summary>
    private static readonly TimeSpan LastResort = TimeSpan.FromMinutes(5);

    /// <summary>The paths a page's stored copy is served at by serve itself, under the page's own path.</summary>
    public static string StoredVideoPath(string token) => $"{PageLinks.PagePrefix}{token}/video";

    /// <inheritdoc cref="StoredVideoPath"/>
    public static string StoredPosterPath(string token) => $"{PageLinks.PagePrefix}{token}/poster";

    /// <summary>What the page plays, or null when there is nothing that works (the page is not sent).</summary>
    public async Task<PageMedia?> ResolveAsync(PageLookup page, CampaignOptions campaign, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(campaign);
        var entry = page.Entry;
        if (WriteBack.WriteBackLink.StoresFiles(campaign))
        {
            return Stored(page);
        }

        var now = time.GetUtcNow();
        if (entry.VideoUrl is { } stored && entry.LinkExpiresAt is { } expires && expires > (now + pages.Value.MinLinkLife).ToUnixTimeMilliseconds())
        {
            return new PageMedia(stored, entry.ThumbnailUrl);
        }

        if (await RefreshAsync(entry, ct) is { VideoUrl: { } fresh } video)
        {
            return new PageMedia(fresh, video.ThumbnailUrl ?? entry.ThumbnailUrl);
        }

        return entry.VideoUrl is { } old && entry.LinkExpiresAt is { } until && until > (now + LastResort).ToUnixTimeMilliseconds()
            ? new PageMedia(old, entry.ThumbnailUrl)
            : null;
    }

    /// <summary>The stored copy's file, for serve to send, or null.</summary>
    public static string? StoredFile(PageLookup page, bool poster)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Entry.LocalPath is not { } video)
        {
            return null;
        }

        var path = poster ? Path.ChangeExtension(video, "jpg") : video;
        return File.Exists(path) ? path : null;
    }

    private PageMedia? Stored(PageLookup page)
    {
        if (StoredFile(page, poster: false) is not { } video)
        {
            return null;
        }

        var poster = StoredFile(page, poster: true);
        var storage = options.Value.Storage;
        return storage.PublicBaseUrl is not null
            ? new PageMedia(WriteBack.WriteBackLink.Published(video, storage), poster is null ? null : WriteBack.WriteBackLink.Published(poster, storage))
            : new PageMedia(StoredVideoPath(page.Token), poster is null ? null : StoredPosterPath(page.Token));
    }

    private async Task<VideoDetail?> RefreshAsync(LedgerEntry entry, CancellationToken ct)
    {
        if (entry.VideoId is not { } videoId)
        {
            return null;
        }

        var refresh = refreshing.InFlight.GetOrAdd(videoId, id => new Lazy<Task<VideoDetail?>>(() => FetchAndStoreAsync(entry, id)));
        try
        {
            return await refresh.Value.WaitAsync(ct);
        }
        finally
        {
            if (refresh.Value.IsCompleted)
            {
                refreshing.InFlight.TryRemove(new KeyValuePair<string, Lazy<Task<VideoDetail?>>>(videoId, refresh));
            }
        }
    }

    // Not cancelled with one visitor's request: others may be waiting on the same refresh.
    private async Task<VideoDetail?> FetchAndStoreAsync(LedgerEntry entry, string videoId)
    {
        try
        {
            var video = await heyGen.GetVideoAsync(videoId, CancellationToken.None);
            if (video.Status != VideoStatus.Completed || video.VideoUrl is null)
            {
                LogNotCompleted(logger, entry.Campaign, entry.RecipientKey, video.Status);
                return null;
            }

            var expires = SignedLinkExpiry.Of(video.VideoUrl, time.GetUtcNow(), heyGenOptions.Value.SignedLinkLifetime);
            await ledger.RenewLinksAsync(entry.Campaign, entry.RecipientKey, VideoLinks.Of(video, expires), CancellationToken.None);
            return video;
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException or LedgerUnavailableException)
        {
            LogRefreshFailed(logger, entry.Campaign, entry.RecipientKey, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Page of {Campaign} {Key}: HeyGen now says the video is '{Status}', so no fresh link")]
    private static partial void LogNotCompleted(ILogger logger, string campaign, string key, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Page of {Campaign} {Key}: a fresh video link could not be had ({Reason})")]
    private static partial void LogRefreshFailed(ILogger logger, string campaign, string key, string reason);
}

/// <summary>The signed-link refreshes in flight on this node, by video id: a burst of opens of one page asks HeyGen once.</summary>
public sealed class PageLinkRefreshes
{
    internal ConcurrentDictionary<string, Lazy<Task<VideoDetail?>>> InFlight { get; } = new(StringComparer.Ordinal);
}
