using System.Buffers;
using System.Text.Json;
using BatchVideo.Sandbox.Api;

namespace BatchVideo.Sandbox.Videos;

/// <summary>
/// Checks the bodies of HeyGen's two prompt-driven creates against their schemas (<see cref="RequestSchema"/>):
/// <c>POST /v3/videos</c> with <c>type: "cinematic_avatar"</c> and <c>POST /v3/video-agents</c>, and turns them
/// into the one request shape the store renders. The prompt stands in for the script when sizing the render.
/// </summary>
internal static class PromptVideoValidator
{
    public const string Cinematic = "cinematic_avatar";
    public const string Agent = "video_agent";

    /// <summary>Cinematic Avatar's default length: "Defaults to 10" (heygen-cli gen/video.go).</summary>
    private const double DefaultCinematicSeconds = 10;

    /// <summary>A <c>cinematic_avatar</c> body already parsed and typed; null and a request when acceptable.</summary>
    public static ApiError? CheckCinematic(JsonElement root, out CreateVideoRequest? request, out IReadOnlyList<string> ignored)
    {
        request = null;
        ignored = [];
        var schema = RequestSchema.CreateVideoFromCinematicAvatar;
        var error = schema.Check(root);
        if (error is not null)
        {
            return error;
        }
        // "Omit when auto_duration is true": both at once leaves the length undefined.
        if (root.TryGetProperty("auto_duration", out var auto) && auto.ValueKind == JsonValueKind.True
            && root.TryGetProperty("duration", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            return ApiError.InvalidParameter("'duration' must be omitted when 'auto_duration' is true.", "duration");
        }
        // The sandbox speaks no voice for a cinematic shot: a voice or script field is not part of this type.
        foreach (var field in new[] { "voice_id", "script", "voice_settings", "audio_url", "audio_asset_id" })
        {
            if (root.TryGetProperty(field, out _))
            {
                return ApiError.InvalidParameter($"'{field}' cannot be used with type \"cinematic_avatar\": it has no script and no voice.", field);
            }
        }

        ignored = schema.FieldsInNoSchema(root);
        var looks = root.GetProperty("avatar_id").EnumerateArray().Select(l => l.GetString()!).ToList();
        var seconds = root.TryGetProperty("duration", out var duration) && duration.ValueKind == JsonValueKind.Number
            ? duration.GetDouble()
            : DefaultCinematicSeconds;
        request = new CreateVideoRequest(
            AvatarId: looks[0],
            Script: CreateVideoValidator.StringOf(root, "prompt")!,
            VoiceId: null,
            Title: CreateVideoValidator.StringOf(root, "title"),
            CallbackUrl: null,
            CallbackId: null,
            // "Defaults to '720p'" for this type.
            Resolution: CreateVideoValidator.StringOf(root, "resolution") ?? "720p",
            AspectRatio: CreateVideoValidator.StringOf(root, "aspect_ratio"),
            OutputFormat: "mp4",
            HasCaptions: false,
            BurnsInCaptions: false)
        {
            Kind = Cinematic,
            LookIds = looks,
            DurationSeconds = seconds,
        };
        return null;
    }

    /// <summary>A <c>POST /v3/video-agents</c> body; null and a request when acceptable (unknown fields are refused by the schema).</summary>
    public static ApiError? TryParseAgent(ReadOnlySequence<byte> body, out CreateVideoRequest? request)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, CreateVideoValidator.DocumentOptions);
        }
        catch (JsonException)
        {
            return ApiError.InvalidParameter("The request body must be one JSON object, each field once (CreateVideoAgentRequest).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ApiError.InvalidParameter("The request body must be a JSON object (CreateVideoAgentRequest).");
            }
            // The document's own example for a bad prompt: "'prompt' is required and must be 1-10000 characters."
            if (root.TryGetProperty("prompt", out var prompt) is false || prompt.ValueKind != JsonValueKind.String
                || prompt.GetString()!.Length is 0 or > 10_000)
            {
                return ApiError.InvalidParameter("'prompt' is required and must be 1-10000 characters.", "prompt");
            }

            var error = RequestSchema.CreateVideoAgent.Check(root);
            if (error is not null)
            {
                return error;
            }

            if (CreateVideoValidator.StringOf(root, "mode") == "chat")
            {
                return ApiError.InvalidParameter("The sandbox simulates mode \"generate\" only (one video per session).", "mode");
            }

            request = new CreateVideoRequest(
                AvatarId: CreateVideoValidator.StringOf(root, "avatar_id") ?? "",
                Script: prompt.GetString()!,
                VoiceId: CreateVideoValidator.StringOf(root, "voice_id"),
                Title: null,
                CallbackUrl: CreateVideoValidator.StringOf(root, "callback_url"),
                CallbackId: CreateVideoValidator.StringOf(root, "callback_id"),
                Resolution: null,
                AspectRatio: CreateVideoValidator.StringOf(root, "orientation") == "portrait" ? "9:16" : "16:9",
                OutputFormat: "mp4",
                HasCaptions: false,
                BurnsInCaptions: false)
            {
                Kind = Agent,
            };
            return null;
        }
    }
}
