namespace BatchVideo.Sandbox.Videos;

/// <summary>A <c>POST /v3/videos</c> body that passed validation: what the sandbox keeps of it.</summary>
internal sealed record CreateVideoRequest(
    string AvatarId,
    string Script,
    string VoiceId,
    string? Title,
    string? CallbackUrl,
    string? CallbackId,
    string? Resolution,
    string? AspectRatio,
    string OutputFormat,
    bool HasCaptions,
    bool BurnsInCaptions);
