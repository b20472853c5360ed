using System.Buffers;
using System.Text.Json;
using BatchVideo.Sandbox.Api;

namespace BatchVideo.Sandbox.Videos;

/// <summary>
/// Checks a <c>POST /v3/videos</c> body: the <c>type</c> discriminator, then the CreateVideoFromAvatar JSON
/// Schema (<see cref="RequestSchema"/>), then the few rules the sandbox needs to simulate a render (a
/// script, not audio). Fields in no schema are accepted and returned, as an API that ignores them would.
/// </summary>
internal static class CreateVideoValidator
{
    // Video types of the discriminated union the sandbox does not render (the OpenAPI document's "image";
    // "cinematic_avatar" and "studio" from heygen-cli gen/video.go).
    private static readonly string[] UnsupportedTypes = ["image", "studio"];

    internal static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    /// <summary>Null and a request when the body is acceptable; otherwise the first problem found.</summary>
    /// <param name="ignored">Dotted paths of the fields no schema names (empty when none).</param>
    public static ApiError? TryParse(ReadOnlySequence<byte> body, out CreateVideoRequest? request, out IReadOnlyList<string> ignored)
    {
        request = null;
        ignored = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return ApiError.InvalidParameter("The request body must be one JSON object, each field once (CreateVideoFromAvatar).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ApiError.InvalidParameter("The request body must be a JSON object (CreateVideoFromAvatar).");
            }

            var typeError = CheckType(root);
            if (typeError is not null)
            {
                return typeError;
            }

            if (root.GetProperty("type").GetString() == PromptVideoValidator.Cinematic)
            {
                return PromptVideoValidator.CheckCinematic(root, out request, out ignored);
            }

            var schema = RequestSchema.CreateVideoFromAvatar;
            var error = schema.Check(root) ?? CheckSimulated(root);
            if (error is not null)
            {
                return error;
            }

            ignored = schema.FieldsInNoSchema(root);
            request = Read(root);
            return null;
        }
    }

    private static ApiError? CheckType(JsonElement root)
    {
        if (!root.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null)
        {
            return ApiError.InvalidParameter("'type' is required; the sandbox supports \"avatar\".", "type");
        }

        if (type.ValueKind != JsonValueKind.String)
        {
            return ApiError.InvalidParameter("'type' must be a string.", "type");
        }

        var value = type.GetString()!;
        if (Array.IndexOf(UnsupportedTypes, value) >= 0)
        {
            return ApiError.InvalidParameter($"Only types \"avatar\" and \"cinematic_avatar\" are supported by the sandbox; \"{value}\" videos are not simulated.", "type");
        }

        return value is "avatar" or PromptVideoValidator.Cinematic ? null : ApiError.InvalidParameter("'type' must be one of: avatar, image, cinematic_avatar, studio.", "type");
    }

    /// <summary>Rules beyond the schema: the ones the reference states for the fields, and the sandbox's own limits.</summary>
    private static ApiError? CheckSimulated(JsonElement root)
    {
        var script = StringOf(root, "script");
        var audio = StringOf(root, "audio_url") is not null ? "audio_url" : StringOf(root, "audio_asset_id") is not null ? "audio_asset_id" : null;
        if (script is not null && audio is not null)
        {
            return ApiError.InvalidParameter($"'script' and '{audio}' are mutually exclusive.", audio);
        }

        if (script is null)
        {
            return ApiError.InvalidParameter(
                audio is null ? "'script' is required." : "The sandbox simulates script-driven videos only; send 'script' instead of audio.",
                "script");
        }

        if (StringOf(root, "output_format") == "webm" && IsObject(root, "background"))
        {
            return ApiError.InvalidParameter("'background' is not supported with output_format \"webm\".", "background");
        }

        return null;
    }

    private static CreateVideoRequest Read(JsonElement root)
    {
        var caption = root.TryGetProperty("caption", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var hasCaptions = caption.ValueKind == JsonValueKind.Object;
        return new CreateVideoRequest(
            AvatarId: StringOf(root, "avatar_id")!,
            Script: StringOf(root, "script")!,
            VoiceId: StringOf(root, "voice_id"),
            Title: StringOf(root, "title"),
            CallbackUrl: StringOf(root, "callback_url"),
            CallbackId: StringOf(root, "callback_id"),
            Resolution: StringOf(root, "resolution"),
            AspectRatio: StringOf(root, "aspect_ratio"),
            OutputFormat: StringOf(root, "output_format") ?? "mp4",
            HasCaptions: hasCaptions,
            BurnsInCaptions: hasCaptions && StringOf(caption, "style") is not null,
            Engine: root.TryGetProperty("engine", out var engine) && engine.ValueKind == JsonValueKind.Object ? StringOf(engine, "type") : null);
    }

    internal static string? StringOf(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsObject(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object;
}
