using System.Text.Json;
using System.Text.Json.Serialization;
using BatchVideo.Ledger;
using BatchVideo.Links;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.HeyGen.Webhooks;

/// <summary>What became of a delivery.</summary>
public enum WebhookOutcome
{
    /// <summary>Verified and applied to the ledger.</summary>
    Applied,

    /// <summary>
    /// Verified, but already applied: this event id was processed before, or the video's entry already records
    /// the end the event reports. Nothing done, answered 2xx so HeyGen stops.
    /// </summary>
    Duplicate,

    /// <summary>Verified, but about nothing in the ledger (another tool's video, an event type we do not use).</summary>
    Ignored,

    /// <summary>Not verified or not readable: nothing done.</summary>
    Rejected,
}

/// <summary>The answer to give HeyGen, and why.</summary>
public sealed record WebhookResult(int StatusCode, WebhookOutcome Outcome, string Detail, string? EventId = null);

/// <summary>
/// Receives HeyGen webhook deliveries, free of ASP.NET Core so any host can call it: verifies the
/// delivery, skips event ids already processed (the ledger keeps them), and applies
/// <c>avatar_video.success</c> / <c>.fail</c> to the ledger entry holding the video, whatever its
/// campaign. Applying is idempotent and decided by the entry's state, so a duplicate racing past the event-id
/// check, a captured body replayed under a new event id, or a delivery that lost the race to the poller,
/// changes nothing; the event id is recorded after the change, so a crash in between only means HeyGen's
/// redelivery applies it again.
/// </summary>
public sealed partial class WebhookProcessor(
    WebhookVerifier verifier,
    LedgerStore ledger,
    IOptions<HeyGenOptions> options,
    TimeProvider time,
    ILogger<WebhookProcessor> logger,
    HeyGenClient? heyGen = null)
{
    public const string Success = "avatar_video.success";
    public const string Fail = "avatar_video.fail";

    // A Video Agent video's events (heygen-cli's event enum); their payload is undocumented and read as the avatar ones.
    public const string AgentSuccess = "video_agent.success";
    public const string AgentFail = "video_agent.fail";

    // A delivery must be answered within 10 s (HeyGen's webhooks guide): the follow-up GET gets less.
    private static readonly TimeSpan FollowUpBudget = TimeSpan.FromSeconds(5);

    // Far beyond HeyGen's 24-hour redelivery horizon, so a pruned id can no longer come back.
    private static readonly TimeSpan EventRetention = TimeSpan.FromDays(7);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private Task? migration;
    private long nextPruneAt;

    public async Task<WebhookResult> HandleAsync(ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string> headers, CancellationToken ct)
    {
        var verdict = verifier.Verify(body.Span, headers);
        if (!verdict.IsValid)
        {
            LogRejected(logger, verdict.Reason);
            return new WebhookResult(verdict.StatusCode, WebhookOutcome.Rejected, verdict.Reason);
        }

        var eventId = verdict.EventId!;
        await EnsureReadyAsync(ct);
        if (await ledger.HasWebhookEventAsync(eventId, ct))
        {
            return new WebhookResult(200, WebhookOutcome.Duplicate, "already processed", eventId);
        }

        WebhookBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body.Span, WebhookJson.Default.WebhookBody);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed?.EventType is not { Length: > 0 } eventType)
        {
            return new WebhookResult(400, WebhookOutcome.Rejected, "the body is not a HeyGen event (event_type missing)", eventId);
        }

        var videoId = parsed.EventData?.VideoId;
        if (eventType is AgentSuccess or AgentFail && parsed.EventData?.SessionId is { Length: > 0 } sessionId)
        {
            videoId = await MatchSessionAsync(sessionId, videoId, ct);
        }

        var result = eventType is Success or AgentSuccess or Fail or AgentFail && videoId is { Length: > 0 }
            ? await ApplyAsync(eventType, videoId, parsed.EventData!, await ledger.FindByVideoIdAsync(videoId, ct), ct)
            : new WebhookResult(200, WebhookOutcome.Ignored, $"{eventType} for video {videoId ?? "(none)"} changes nothing in the ledger");
        await ledger.RecordWebhookEventAsync(eventId, eventType, videoId, ct);
        await PruneIfDueAsync(ct);
        if (result.Outcome == WebhookOutcome.Applied)
        {
            LogApplied(logger, eventType, videoId);
        }

        return result with { EventId = eventId };
    }

    /// <summary>
    /// Applies an event by the state of the video's entry, not only by its id: HeyGen signs the body alone, so a
    /// captured delivery can come back with a fresh timestamp and a new event id. An event whose end the entry
    /// already records changes nothing (a success on a completed entry only adds links it lacks, or a signed link
    /// expiring later than the stored one, so a replay cannot put back a link <c>refresh</c> renewed); an entry
    /// submitted longer ago than
    /// <see cref="HeyGenOptions.WebhookMaxVideoAge"/> is left to polling and <c>refresh</c>.
    /// </summary>
    private async Task<WebhookResult> ApplyAsync(string eventType, string videoId, WebhookEventData data, LedgerEntry? entry, CancellationToken ct)
    {
        var success = eventType is Success or AgentSuccess;
        var unchanged = $"{eventType} for video {videoId} changes nothing in the ledger";
        switch (entry?.State)
        {
            case LedgerState.Submitted when entry.SubmittedAt is { } submitted
                                            && time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(submitted) > options.Value.WebhookMaxVideoAge:
                return new WebhookResult(200, WebhookOutcome.Ignored, $"{unchanged}: the video was submitted more than {options.Value.WebhookMaxVideoAge.TotalHours:0} h ago (HeyGen:WebhookMaxVideoAge); polling records it");
            case LedgerState.Submitted:
                var applied = success
                    ? await CompleteAsync(videoId, data, ct)
                    : await ledger.MarkFailedByVideoAsync(videoId, data.FailureCode ?? "failed", data.Msg ?? "HeyGen reported the render as failed", ct);
                return applied
                    ? new WebhookResult(200, WebhookOutcome.Applied, $"{eventType} recorded for video {videoId}")
                    : new WebhookResult(200, WebhookOutcome.Ignored, unchanged);
            case LedgerState.Completed when success:
                var gaps = LinksToAdd(entry, data);
                if (gaps is null)
                {
                    return new WebhookResult(200, WebhookOutcome.Duplicate, $"already applied: video {videoId} is completed; nothing changed");
                }

                return await ledger.MarkCompletedByVideoAsync(videoId, gaps, ct)
                    ? new WebhookResult(200, WebhookOutcome.Applied, $"{eventType} added links video {videoId} lacked or a later signed link")
                    : new WebhookResult(200, WebhookOutcome.Ignored, unchanged);
            case LedgerState.Failed when !success:
                return new WebhookResult(200, WebhookOutcome.Duplicate, $"already applied: video {videoId} is failed; nothing changed");
            default:
                // Not ours, or a late failure after a completion (never undone), or a success after a failure.
                return new WebhookResult(200, WebhookOutcome.Ignored, unchanged);
        }
    }

    /// <summary>
    /// What a delivery adds to a completed entry, or null when nothing: links the entry has no value for, and a
    /// signed link that says (in its own query) it expires later than the stored one. A replayed body's link is
    /// the one applied before or an older one, so it adds nothing.
    /// </summary>
    private VideoLinks? LinksToAdd(LedgerEntry entry, WebhookEventData data)
    {
        var stated = SignedLinkExpiry.Of(data.Url, DateTimeOffset.UnixEpoch, TimeSpan.Zero) ?? 0;
        var url = entry.VideoUrl is null || (stated > 0 && stated > (entry.LinkExpiresAt ?? 0)) ? data.Url : null;
        var links = new VideoLinks(url, entry.VideoPageUrl is null ? data.VideoPageUrl : null, null, SignedLinkExpiry.Of(url, time.GetUtcNow(), options.Value.SignedLinkLifetime))
        {
            SharePageUrl = entry.SharePageUrl is null ? data.VideoSharePageUrl : null,
            GifUrl = entry.GifUrl is null ? data.GifDownloadUrl : null,
        };
        return links is { VideoUrl: null, PageUrl: null, SharePageUrl: null, GifUrl: null } ? null : links;
    }

    /// <summary>
    /// The video a <c>video_agent.*</c> delivery is about, matched by its session as well as by its video: a session
    /// recorded before its video was known gets the delivery's video in place of its stand-in; a delivery without a
    /// video applies to the video (or stand-in) the session's entry holds. Looked up by session only when no entry
    /// holds the delivery's video, the common case being one indexed read.
    /// </summary>
    private async Task<string?> MatchSessionAsync(string sessionId, string? videoId, CancellationToken ct)
    {
        if (videoId is { Length: > 0 })
        {
            if (await ledger.FindByVideoIdAsync(videoId, ct) is null)
            {
                await ledger.AdoptSessionVideoAsync(sessionId, videoId, ct);
            }

            return videoId;
        }

        return (await ledger.FindBySessionAsync(sessionId, ct))?.VideoId;
    }

    /// <summary>
    /// Records what the delivery carries, never erasing what is stored. When it lacks the page link (the
    /// documented payload has only <c>video_id</c>, <c>url</c>, <c>callback_id</c>) and the ledger has none
    /// either, <c>GET /v3/videos/{id}</c> is asked once first, so the completion is recorded with every link
    /// at once and a write-back in between cannot take the signed link for the page (polling on or off).
    /// </summary>
    private async Task<bool> CompleteAsync(string videoId, WebhookEventData data, CancellationToken ct)
    {
        var links = new VideoLinks(data.Url, data.VideoPageUrl, null, SignedLinkExpiry.Of(data.Url, time.GetUtcNow(), options.Value.SignedLinkLifetime))
        {
            SharePageUrl = data.VideoSharePageUrl,
            GifUrl = data.GifDownloadUrl,
        };
        if (data.VideoPageUrl is null && heyGen is not null
            && await ledger.FindByVideoIdAsync(videoId, ct) is { State: LedgerState.Submitted, VideoPageUrl: null })
        {
            links = await FollowUpAsync(videoId, links, ct);
        }

        return await ledger.MarkCompletedByVideoAsync(videoId, links, ct);
    }

    /// <summary>The delivery's links completed by one GET of the video; the delivery's alone when that fails.</summary>
    private async Task<VideoLinks> FollowUpAsync(string videoId, VideoLinks delivered, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(FollowUpBudget);
        try
        {
            var video = await heyGen!.GetVideoAsync(videoId, budget.Token);
            if (video.Status != VideoStatus.Completed)
            {
                return delivered;
            }

            var expires = SignedLinkExpiry.Of(video.VideoUrl, time.GetUtcNow(), options.Value.SignedLinkLifetime);
            return VideoLinks.Of(video, expires) with { SharePageUrl = delivered.SharePageUrl, GifUrl = video.GifUrl ?? delivered.GifUrl };
        }
        catch (Exception e) when ((e is HeyGenApiException or HttpRequestException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException) && !ct.IsCancellationRequested)
        {
            // The completion and its signed link are still recorded; `batchvideo refresh` fills the rest later.
            LogFollowUpFailed(logger, videoId, e.Message);
            return delivered;
        }
    }

    /// <summary>The ledger's tables exist before the first delivery is looked up (once per process; retried after a failure).</summary>
    private async Task EnsureReadyAsync(CancellationToken ct)
    {
        var task = LazyInitializer.EnsureInitialized(ref migration, () => (Task)ledger.MigrateAsync(CancellationToken.None));
        try
        {
            await task.WaitAsync(ct);
        }
        catch when (task.IsFaulted)
        {
            _ = Interlocked.CompareExchange(ref migration, null, task);
            throw;
        }
    }

    private async Task PruneIfDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref nextPruneAt);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref nextPruneAt, (now + PruneEvery).UtcTicks, due) != due)
        {
            return;
        }

        await ledger.PruneWebhookEventsAsync(now - EventRetention, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId} completed by webhook; its page link could not be fetched now: {Reason}")]
    private static partial void LogFollowUpFailed(ILogger logger, string videoId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {EventType} applied to video {VideoId}")]
    private static partial void LogApplied(ILogger logger, string eventType, string? videoId);
}

/// <summary>The parts of a delivery we read.</summary>
internal sealed record WebhookBody(
    [property: JsonPropertyName("event_type")] string? EventType,
    [property: JsonPropertyName("event_data")] WebhookEventData? EventData);

/// <summary><c>event_data</c> of the avatar video events; other fields are ignored.</summary>
internal sealed record WebhookEventData(
    [property: JsonPropertyName("video_id")] string? VideoId,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("video_page_url")] string? VideoPageUrl,
    [property: JsonPropertyName("video_share_page_url")] string? VideoSharePageUrl,
    [property: JsonPropertyName("gif_download_url")] string? GifDownloadUrl,
    [property: JsonPropertyName("callback_id")] string? CallbackId,
    [property: JsonPropertyName("msg")] string? Msg,
    [property: JsonPropertyName("failure_code")] string? FailureCode)
{
    /// <summary>A Video Agent session's id, when a <c>video_agent.*</c> delivery names it (the payload is undocumented).</summary>
    [JsonPropertyName("session_id")]
    public string? SessionId { get; init; }
}

[JsonSerializable(typeof(WebhookBody))]
internal sealed partial class WebhookJson : JsonSerializerContext;
