using System.Text.Json.Serialization;

namespace BatchVideo.HeyGen;

/// <summary>Body of <c>POST /v3/videos</c> with <c>type: "avatar"</c> (schema CreateVideoFromAvatar).</summary>
public sealed record CreateVideoRequest
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "avatar";

    [JsonPropertyName("avatar_id")]
    public required string AvatarId { get; init; }

    [JsonPropertyName("voice_id")]
    public required string VoiceId { get; init; }

    [JsonPropertyName("script")]
    public required string Script { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("aspect_ratio")]
    public string? AspectRatio { get; init; }

    [JsonPropertyName("resolution")]
    public string? Resolution { get; init; }

    [JsonPropertyName("callback_url")]
    public string? CallbackUrl { get; init; }

    [JsonPropertyName("callback_id")]
    public string? CallbackId { get; init; }

    /// <summary>Sent when the campaign names an engine; HeyGen defaults to Avatar IV otherwise (heygen-cli gen/video.go).</summary>
    [JsonPropertyName("engine")]
    public EngineSetting? Engine { get; init; }

    /// <summary>Captions (CaptionSetting, heygen-cli gen/video.go): a sidecar SRT file (<c>subtitle_url</c>); sent when the campaign's <c>Captions</c> is on.</summary>
    [JsonPropertyName("caption")]
    public CaptionSetting? Caption { get; init; }

    /// <summary>A row's background (a <c>Columns:Background</c> cell); none: the look's own.</summary>
    [JsonPropertyName("background")]
    public BackgroundSetting? Background { get; init; }

    /// <summary>A row's voice speed and locale (<c>Columns:VoiceSpeed</c>, <c>Columns:VoiceLocale</c>); none: the voice's defaults.</summary>
    [JsonPropertyName("voice_settings")]
    public VoiceSettings? VoiceSettings { get; init; }
}

/// <summary>
/// The create body's <c>background</c> (BackgroundSetting, OpenAPI 2026-04-08): <c>type</c> <c>color</c> with a hex
/// <c>value</c>, or <c>image</c> with a <c>url</c>.
/// </summary>
public sealed record BackgroundSetting(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("url")] string? Url);

/// <summary>The create body's <c>caption</c>: <c>file_format</c> <c>srt</c> (the only value); no <c>style</c>, so nothing is burned in.</summary>
public sealed record CaptionSetting([property: JsonPropertyName("file_format")] string FileFormat);

/// <summary>The create body's <c>voice_settings</c> (VoiceSettingsInput): <c>speed</c> 0.5-1.5, <c>locale</c> such as <c>en-US</c>.</summary>
public sealed record VoiceSettings(
    [property: JsonPropertyName("speed")] double? Speed,
    [property: JsonPropertyName("locale")] string? Locale);

/// <summary>The create body's <c>engine</c> object: <c>{"type": "avatar_iv" | "avatar_v" | "avatar_iii"}</c>.</summary>
public sealed record EngineSetting([property: JsonPropertyName("type")] string Type);

/// <summary>An avatar look (AvatarLookItem), the parts the pre-flight reads.</summary>
/// <param name="Status">Training status, only for private looks: processing, pending_consent, failed, completed.</param>
/// <param name="SupportedApiEngines">Engine values the look supports for POST /v3/videos.</param>
public sealed record AvatarLook(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("avatar_type")] string? AvatarType,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("supported_api_engines")] IReadOnlyList<string>? SupportedApiEngines);

/// <summary>A voice (GET /v3/voices/{voice_id}, heygen-cli gen/voice.go); <see cref="Status"/> only for clones (processing, complete, failed).</summary>
public sealed record VoiceInfo(
    [property: JsonPropertyName("voice_id")] string VoiceId,
    [property: JsonPropertyName("status")] string? Status);

/// <summary>The <c>data</c> of a create response: the id to follow.</summary>
public sealed record VideoCreated(
    [property: JsonPropertyName("video_id")] string VideoId,
    [property: JsonPropertyName("status")] string? Status)
{
    /// <summary>The Video Agent session that made the video (<c>session_id</c>); null for <c>POST /v3/videos</c>.</summary>
    [JsonIgnore]
    public string? SessionId { get; init; }
}

/// <summary>The <c>data</c> of <c>GET /v3/videos/{video_id}</c> (schema VideoDetail), the fields we use.</summary>
public sealed record VideoDetail
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("video_url")]
    public string? VideoUrl { get; init; }

    [JsonPropertyName("video_page_url")]
    public string? VideoPageUrl { get; init; }

    [JsonPropertyName("thumbnail_url")]
    public string? ThumbnailUrl { get; init; }

    [JsonPropertyName("gif_url")]
    public string? GifUrl { get; init; }

    [JsonPropertyName("captioned_video_url")]
    public string? CaptionedVideoUrl { get; init; }

    [JsonPropertyName("subtitle_url")]
    public string? SubtitleUrl { get; init; }

    [JsonPropertyName("duration")]
    public double? Duration { get; init; }

    [JsonPropertyName("created_at")]
    public long? CreatedAt { get; init; }

    [JsonPropertyName("completed_at")]
    public long? CompletedAt { get; init; }

    [JsonPropertyName("failure_code")]
    public string? FailureCode { get; init; }

    [JsonPropertyName("failure_message")]
    public string? FailureMessage { get; init; }
}

/// <summary>A page of <c>GET /v3/videos</c>; the cursor sits beside <c>data</c>.</summary>
public sealed record VideoPage(
    [property: JsonPropertyName("data")] IReadOnlyList<VideoDetail> Data,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("next_token")] string? NextToken);

/// <summary>A registered webhook endpoint (WebhookEndpointResponse); <see cref="Secret"/> only on create.</summary>
public sealed record WebhookEndpoint(
    [property: JsonPropertyName("endpoint_id")] string EndpointId,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("events")] IReadOnlyList<string>? Events,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] string? CreatedAt,
    [property: JsonPropertyName("secret")] string? Secret);

/// <summary>A page of <c>GET /v3/webhooks/endpoints</c>.</summary>
public sealed record WebhookEndpointPage(
    [property: JsonPropertyName("data")] IReadOnlyList<WebhookEndpoint> Data,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("next_token")] string? NextToken);

/// <summary>Body of <c>POST /v3/webhooks/endpoints</c> and <c>PATCH …/{id}</c>.</summary>
public sealed record WebhookEndpointRequest(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("events")] IReadOnlyList<string>? Events);

/// <summary>The <c>data</c> of a rotate-secret answer.</summary>
public sealed record RotatedSecret(
    [property: JsonPropertyName("endpoint_id")] string EndpointId,
    [property: JsonPropertyName("secret")] string Secret);

/// <summary>
/// <c>GET /v3/users/me</c> (UserInfoResponse), the billing parts: exactly one of wallet, subscription and
/// usage_based is set, as <see cref="BillingType"/> says.
/// </summary>
public sealed record UserInfo(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("billing_type")] string? BillingType,
    [property: JsonPropertyName("wallet")] WalletInfo? Wallet,
    [property: JsonPropertyName("subscription")] SubscriptionInfo? Subscription,
    [property: JsonPropertyName("usage_based")] UsageBasedInfo? UsageBased)
{
    /// <summary>
    /// What is left to spend, in the account's own unit (credits, or USD for a USD wallet or metered
    /// billing), with that unit; null amount when the account has no limit we can read.
    /// </summary>
    public (double? Amount, string Unit) Remaining() => BillingType switch
    {
        "wallet" when Wallet is not null => (Wallet.RemainingBalance, Wallet.Currency ?? "credits"),
        "subscription" when Subscription?.Credits is { } credits =>
            ((credits.PremiumCredits?.Remaining ?? 0) + (credits.AddOnCredits?.Remaining ?? 0), "credits"),
        "usage_based" when UsageBased is { SpendingCapUsd: { } cap } => (cap - (UsageBased.SpendingCurrentUsd ?? 0), "usd"),
        _ => (null, "credits"),
    };
}

public sealed record WalletInfo(
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("remaining_balance")] double? RemainingBalance);

public sealed record SubscriptionInfo(
    [property: JsonPropertyName("plan")] string? Plan,
    [property: JsonPropertyName("credits")] SubscriptionCredits? Credits);

public sealed record SubscriptionCredits(
    [property: JsonPropertyName("premium_credits")] CreditPool? PremiumCredits,
    [property: JsonPropertyName("add_on_credits")] CreditPool? AddOnCredits);

public sealed record CreditPool([property: JsonPropertyName("remaining")] double? Remaining);

public sealed record UsageBasedInfo(
    [property: JsonPropertyName("spending_current_usd")] double? SpendingCurrentUsd,
    [property: JsonPropertyName("spending_cap_usd")] double? SpendingCapUsd);

internal sealed record DataEnvelope<T>([property: JsonPropertyName("data")] T Data);

internal sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody? Error);

internal sealed record ErrorBody(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("param")] string? Param);

/// <summary>Status words of a video. Unknown words are treated as still rendering.</summary>
public static class VideoStatus
{
    public const string Completed = "completed";
    public const string Failed = "failed";

    public static bool IsTerminal(string? status) => status is Completed or Failed;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateVideoRequest))]
[JsonSerializable(typeof(DataEnvelope<VideoCreated>))]
[JsonSerializable(typeof(DataEnvelope<VideoDetail>))]
[JsonSerializable(typeof(DataEnvelope<System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(VideoPage))]
[JsonSerializable(typeof(DataEnvelope<WebhookEndpoint>))]
[JsonSerializable(typeof(WebhookEndpointPage))]
[JsonSerializable(typeof(WebhookEndpointRequest))]
[JsonSerializable(typeof(DataEnvelope<RotatedSecret>))]
[JsonSerializable(typeof(DataEnvelope<UserInfo>))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(DataEnvelope<AvatarLook>))]
[JsonSerializable(typeof(DataEnvelope<VoiceInfo>))]
internal sealed partial class HeyGenJson : JsonSerializerContext;
