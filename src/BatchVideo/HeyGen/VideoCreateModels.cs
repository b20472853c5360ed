using System.Text.Json;
using System.Text.Json.Serialization;
using BatchVideo.HeyGen.Templates;

namespace BatchVideo.HeyGen;

/// <summary>
/// One create as it goes out, whatever the video type: <c>POST</c> to <see cref="Route"/> with
/// <see cref="Body"/> byte for byte. Built once per row, so the preview shows what the run sends.
/// </summary>
/// <param name="Route">Relative to HeyGen's base URL: <c>v3/videos</c>, <c>v3/video-agents</c> or <c>v3/templates/{id}</c>.</param>
/// <param name="Type">The campaign's type (<c>avatar</c>, <c>video_agent</c>, <c>cinematic_avatar</c>, <c>template</c>).</param>
/// <param name="Request">The typed body (one of the request records), for tests and the preview.</param>
/// <param name="Body">The JSON the client sends.</param>
/// <param name="Text">The script, the prompt of the prompt types, or what a template video says.</param>
/// <param name="Title">The body's <c>title</c> (null for Video Agent, whose request has none).</param>
public sealed record VideoCreate(string Route, string Type, object Request, string Body, string Text, string? Title)
{
    public const string VideosRoute = "v3/videos";
    public const string VideoAgentsRoute = "v3/video-agents";
    public const string TemplatesRoute = "v3/templates";

    /// <summary>True when the answer is a Video Agent session (<c>CreateVideoAgentResponse</c>), not a video.</summary>
    public bool IsAgentSession => Route == VideoAgentsRoute;

    /// <summary>True for <c>POST /v3/templates/{id}</c>, whose answer is the video resource itself (<c>data.id</c>).</summary>
    public bool IsTemplateGenerate => Route.StartsWith(TemplatesRoute + "/", StringComparison.Ordinal);

    public static VideoCreate Of(CreateVideoRequest request) =>
        new(VideosRoute, "avatar", request, HeyGenClient.CreateBody(request), request.Script, request.Title);

    public static VideoCreate Of(CreateCinematicVideoRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(VideosRoute, "cinematic_avatar", request, JsonSerializer.Serialize(request, VideoCreateJson.Default.CreateCinematicVideoRequest), request.Prompt, request.Title);
    }

    public static VideoCreate Of(CreateVideoAgentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(VideoAgentsRoute, "video_agent", request, JsonSerializer.Serialize(request, VideoCreateJson.Default.CreateVideoAgentRequest), request.Prompt, null);
    }

    /// <summary>A video from the template <paramref name="templateId"/>: <c>POST v3/templates/{template_id}</c>.</summary>
    /// <param name="spokenText">
    /// What the video says (the scenes' scripts with the row's values in place) for the preview and pricing; null:
    /// the text variables' values, one a line.
    /// </param>
    public static VideoCreate Of(TemplateGenerateRequest request, string templateId, string? spokenText = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(templateId);
        return new($"{TemplatesRoute}/{Uri.EscapeDataString(templateId)}", "template", request, request.ToJson(), spokenText ?? request.TextValues(), request.Title);
    }
}

/// <summary>
/// Body of <c>POST /v3/videos</c> with <c>type: "cinematic_avatar"</c> (CreateVideoFromCinematicAvatar,
/// heygen-cli gen/video.go @ 7699a8ee): a prompt and 1-3 looks; no script, no voice, no callback fields.
/// </summary>
public sealed record CreateCinematicVideoRequest
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "cinematic_avatar";

    [JsonPropertyName("prompt")]
    public required string Prompt { get; init; }

    /// <summary>1 to 3 look ids: the schema names the array <c>avatar_id</c>, not <c>avatar_ids</c>.</summary>
    [JsonPropertyName("avatar_id")]
    public required IReadOnlyList<string> AvatarIds { get; init; }

    /// <summary>4-15 s; null: HeyGen's default (10 s).</summary>
    [JsonPropertyName("duration")]
    public int? Duration { get; init; }

    [JsonPropertyName("aspect_ratio")]
    public string? AspectRatio { get; init; }

    [JsonPropertyName("resolution")]
    public string? Resolution { get; init; }

    /// <summary>Carries the recipient marker, so a lost answer is found by title as for avatar videos.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }
}

/// <summary>
/// Body of <c>POST /v3/video-agents</c> (CreateVideoAgentRequest, OpenAPI 2026-04-08; <c>additionalProperties:
/// false</c>). Optional fields are left out when unset. It has no <c>title</c>: <c>callback_id</c> carries the
/// recipient marker instead (docs/reconciliation.md).
/// </summary>
public sealed record CreateVideoAgentRequest
{
    [JsonPropertyName("prompt")]
    public required string Prompt { get; init; }

    [JsonPropertyName("avatar_id")]
    public string? AvatarId { get; init; }

    [JsonPropertyName("voice_id")]
    public string? VoiceId { get; init; }

    [JsonPropertyName("style_id")]
    public string? StyleId { get; init; }

    /// <summary><c>landscape</c> or <c>portrait</c>; null: detected from the content.</summary>
    [JsonPropertyName("orientation")]
    public string? Orientation { get; init; }

    [JsonPropertyName("callback_url")]
    public string? CallbackUrl { get; init; }

    [JsonPropertyName("callback_id")]
    public string? CallbackId { get; init; }
}

/// <summary>
/// The <c>data</c> of a Video Agent create (CreateVideoAgentResponse): a session, and the video to follow
/// with <c>GET /v3/videos/{video_id}</c> ("Nullable in future multi-turn flows").
/// </summary>
public sealed record VideoAgentSession(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("video_id")] string? VideoId);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateCinematicVideoRequest))]
[JsonSerializable(typeof(CreateVideoAgentRequest))]
[JsonSerializable(typeof(DataEnvelope<VideoAgentSession>))]
internal sealed partial class VideoCreateJson : JsonSerializerContext;
