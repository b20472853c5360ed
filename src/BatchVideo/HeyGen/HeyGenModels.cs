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
}

/// <summary>The <c>data</c> of a create response: the id to follow.</summary>
public sealed record VideoCreated(
    [property: JsonPropertyName("video_id")] string VideoId,
    [property: JsonPropertyName("status")] string? Status);

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
[JsonSerializable(typeof(ErrorEnvelope))]
internal sealed partial class HeyGenJson : JsonSerializerContext;
