namespace BatchVideo.Sandbox.Videos;

/// <summary>The <c>data</c> of a successful <c>POST /v3/videos</c>.</summary>
internal sealed record CreatedVideo(string VideoId, string Status, string OutputFormat);

/// <summary>The <c>data</c> of a successful <c>POST /v3/video-agents</c> (CreateVideoAgentResponse).</summary>
internal sealed record CreatedAgentSession(string SessionId, string Status, string? VideoId, long CreatedAt);

/// <summary>
/// VideoDetail as <c>GET /v3/videos/{video_id}</c> and the list return it; field order follows the
/// OpenAPI schema. Timestamps are Unix seconds.
/// </summary>
internal sealed record VideoDetail(
    string Id,
    string? Title,
    string Status,
    long? CreatedAt,
    long? CompletedAt,
    string? VideoUrl,
    string? ThumbnailUrl,
    string? GifUrl,
    string? CaptionedVideoUrl,
    string? SubtitleUrl,
    double? Duration,
    string? FolderId,
    string? OutputLanguage,
    string? FailureCode,
    string? FailureMessage,
    string? VideoPageUrl);
