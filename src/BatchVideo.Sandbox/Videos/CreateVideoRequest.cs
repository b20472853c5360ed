namespace BatchVideo.Sandbox.Videos;

/// <summary>A <c>POST /v3/videos</c> body that passed validation: what the sandbox keeps of it.</summary>
/// <param name="Script">The script; for the prompt types the prompt, which sizes the simulated render.</param>
/// <param name="VoiceId">Null when the body left it out: the look's default voice is used (Create Video reference).</param>
/// <param name="Engine">The body's <c>engine.type</c>, or null (HeyGen defaults to Avatar IV).</param>
internal sealed record CreateVideoRequest(
    string AvatarId,
    string Script,
    string? VoiceId,
    string? Title,
    string? CallbackUrl,
    string? CallbackId,
    string? Resolution,
    string? AspectRatio,
    string OutputFormat,
    bool HasCaptions,
    bool BurnsInCaptions,
    string? Engine = null)
{
    /// <summary><c>avatar</c>, <c>cinematic_avatar</c> (POST /v3/videos), <c>video_agent</c> (POST /v3/video-agents) or <c>template</c>.</summary>
    public string Kind { get; init; } = "avatar";

    /// <summary>Every look the body names (a cinematic shot has 1-3; the others one).</summary>
    public IReadOnlyList<string> LookIds { get; init; } = [AvatarId];

    /// <summary>A cinematic clip's requested length in seconds; null: estimated from the script.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>The template a <c>template</c> video was generated from (<c>POST /v3/templates/{id}</c>).</summary>
    public string? TemplateId { get; init; }
}
