namespace BatchVideo.Sandbox;

/// <summary>A video the sandbox accepted, as the create request described it.</summary>
/// <param name="Id">32 lowercase hex characters, like real HeyGen ids.</param>
/// <param name="Title">The request's <c>title</c>, if any.</param>
/// <param name="Script">The spoken script.</param>
/// <param name="AvatarId">The avatar look id.</param>
/// <param name="VoiceId">The voice id.</param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> header the create carried, if any.</param>
/// <param name="CreatedAt">When the sandbox accepted it (sandbox clock).</param>
public sealed record SandboxVideo(
    string Id,
    string? Title,
    string Script,
    string AvatarId,
    string VoiceId,
    string? IdempotencyKey,
    DateTimeOffset CreatedAt)
{
    /// <summary>When rendering ends (completed or failed): <see cref="CreatedAt"/> plus the render time.</summary>
    public DateTimeOffset FinishesAt { get; init; }

    /// <summary>True when the script carried the fail-render marker, so the video ends as <c>failed</c>.</summary>
    public bool FailsRendering { get; init; }

    /// <summary>The request's <c>callback_id</c>.</summary>
    public string? CallbackId { get; init; }

    /// <summary>The request's <c>callback_url</c> (the sandbox posts the finished event there, unsigned).</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The request's <c>resolution</c> (4k, 1080p, 720p), if given.</summary>
    public string? Resolution { get; init; }

    /// <summary>The request's <c>aspect_ratio</c>, if given.</summary>
    public string? AspectRatio { get; init; }

    /// <summary><c>mp4</c> or <c>webm</c>.</summary>
    public string OutputFormat { get; init; } = "mp4";

    /// <summary>True when the request asked for captions (a <c>caption</c> object), so subtitles are produced.</summary>
    public bool HasCaptions { get; init; }

    /// <summary>True when the caption style asked for captions burned into a second video.</summary>
    public bool BurnsInCaptions { get; init; }

    /// <summary>How it was created: <c>avatar</c>, <c>cinematic_avatar</c>, <c>video_agent</c> or <c>template</c>.</summary>
    public string Kind { get; init; } = "avatar";

    /// <summary>The template a <c>template</c> video was generated from; null for the other kinds.</summary>
    public string? TemplateId { get; init; }

    /// <summary>A cinematic clip's requested length in seconds; null: estimated from the script.</summary>
    public double? DurationSeconds { get; init; }
}
