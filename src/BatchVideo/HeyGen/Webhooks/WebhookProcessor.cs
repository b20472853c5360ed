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

    /// <summary>Verified, but this event id was processed before: nothing done, answered 2xx so HeyGen stops.</summary>
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
/// campaign. Applying is idempotent and guarded by state, so a duplicate racing past the event-id check,
/// or a delivery that lost the race to the poller, changes nothing; the event id is recorded after the
/// change, so a crash in between only means HeyGen's redelivery applies it again.
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

        var applied = (eventType, videoId) switch
        {
            (Success or AgentSuccess, { Length: > 0 }) => await CompleteAsync(videoId, parsed.EventData!, ct),
            (Fail or AgentFail, { Length: > 0 }) => await ledger.MarkFailedByVideoAsync(
                videoId,
                parsed.EventData!.FailureCode ?? "failed",
                parsed.EventData.Msg ?? "HeyGen reported the render as failed",
                ct),
            _ => false,
        };
        await ledger.RecordWebhookEventAsync(eventId, eventType, videoId, ct);
        await PruneIfDueAsync(ct);
        if (applied)
        {
            LogApplied(logger, eventType, videoId);
            return new WebhookResult(200, WebhookOutcome.Applied, $"{eventType} recorded for video {videoId}", eventId);
        }

        return new WebhookResult(200, WebhookOutcome.Ignored, $"{eventType} for video {videoId ?? "(none)"} changes nothing in the ledger", eventId);
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
            && await ledger.FindByVideoIdAsync(videoId, ct) is { State: LedgerState.Submitted or LedgerState.Completed, VideoPageUrl: null })
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
