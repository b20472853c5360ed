namespace BatchVideo.Sandbox.Videos;

/// <summary>A <c>POST /v3/videos</c> body that passed validation: what the sandbox keeps of it.</summary>
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
    string? Engine = null);
