using BatchVideo.Campaigns;
using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using BatchVideo.Links;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace BatchVideo.WriteBack;

/// <summary>What a refresh did.</summary>
/// <param name="Checked">Completed videos looked at.</param>
/// <param name="Renewed">Signed links replaced by fresh ones.</param>
/// <param name="Downloaded">Videos downloaded that had no local copy.</param>
/// <param name="Problems">Videos that could not be refreshed, with why.</param>
/// <param name="WrittenTo">Where the links were written back.</param>
public sealed record RefreshSummary(long Checked, long Renewed, long Downloaded, IReadOnlyList<string> Problems, string? WrittenTo);

/// <summary>
/// <c>batchvideo refresh</c>: for a campaign that writes signed links, asks HeyGen again for every
/// completed video whose link expires within the given time (GET /v3/videos/{id} signs afresh); for one
/// that writes downloads, fetches any video still missing from the storage folder. Then writes the
/// links back through the source, as a run does.
/// </summary>
public sealed class LinkRefresher(
    LedgerStore ledger,
    HeyGenClient heyGen,
    VideoStorage storage,
    IOptions<BatchVideoOptions> options,
    IOptions<HeyGenOptions> heyGenOptions,
    TimeProvider time)
{
    private const int PageSize = 200;

    public async Task<RefreshSummary> RefreshAsync(PreparedRun run, TimeSpan within, CancellationToken ct)
    {
        var renewed = await RenewAsync(run, within, ct);
        return renewed with { WrittenTo = await RunWriteBack.WriteAsync(ledger, run, options.Value.Storage, ct, everyPage: true) };
    }

    /// <summary>
    /// Renews the links due within <paramref name="within"/> and fetches the downloads still missing, writing
    /// nothing back: the completion pass writes back once, after it (<see cref="CompletionPass"/>).
    /// </summary>
    public async Task<RefreshSummary> RenewAsync(PreparedRun run, TimeSpan within, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (signed, files) = (WriteBackLink.WritesSignedLinks(run.Options), WriteBackLink.StoresFiles(run.Options));
        var problems = new List<string>();
        long checkedCount = 0, renewed = 0, downloaded = 0;
        if (signed || files)
        {
            // Downloads need every completed video looked at (a missing file has no expiry to go by).
            var before = signed ? time.GetUtcNow() + within : DateTimeOffset.MaxValue;
            await foreach (var page in ledger.ListLinksDueAsync(run.Campaign, before, PageSize, ct))
            {
                foreach (var entry in page)
                {
                    if (files && entry.LocalPath is { } path && File.Exists(path))
                    {
                        continue;
                    }

                    checkedCount++;
                    var fresh = await FetchAsync(entry, problems, ct);
                    if (fresh is null)
                    {
                        continue;
                    }

                    var expires = SignedLinkExpiry.Of(fresh.VideoUrl, time.GetUtcNow(), heyGenOptions.Value.SignedLinkLifetime);
                    await ledger.RenewLinksAsync(run.Campaign, entry.RecipientKey, VideoLinks.Of(fresh, expires), ct);
                    renewed++;
                    if (files)
                    {
                        if (await storage.StoreAsync(run.Campaign, entry.RecipientKey, fresh.Id, fresh.VideoUrl, fresh.ThumbnailUrl, ct) is { } problem)
                        {
                            problems.Add($"key {entry.RecipientKey}, video {entry.VideoId}: {problem}");
                        }
                        else
                        {
                            downloaded++;
                        }
                    }
                }
            }
        }

        return new RefreshSummary(checkedCount, renewed, downloaded, problems, null);
    }

    private async Task<VideoDetail?> FetchAsync(LedgerEntry entry, List<string> problems, CancellationToken ct)
    {
        try
        {
            var video = await heyGen.GetVideoAsync(entry.VideoId!, ct);
            if (video.Status == VideoStatus.Completed)
            {
                return video;
            }

            problems.Add($"key {entry.RecipientKey}, video {entry.VideoId}: HeyGen now says '{video.Status}'");
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            problems.Add($"key {entry.RecipientKey}, video {entry.VideoId}: {e.Message}");
        }

        return null;
    }
}
