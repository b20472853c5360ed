using System.Buffers;
using System.Text.Json;
using BatchVideo.Sandbox.Api;

namespace BatchVideo.Sandbox.Videos;

/// <summary>
/// Validates a <c>POST /v3/videos</c> body against CreateVideoFromAvatar in one forward pass over the
/// bytes. Stricter than HeyGen on purpose: a property outside the documented set is rejected with its
/// name as <c>param</c>, so a client typo shows up here instead of being silently ignored in production.
/// </summary>
internal static class CreateVideoRequestParser
{
    /// <summary>HeyGen's documented script limit (Usage Limits: 1 to 5,000 characters).</summary>
    public const int MaxScriptCharacters = 5000;

    private static readonly string[] UnsupportedTypes = ["image", "cinematic_avatar", "studio"];
    private static readonly string[] Resolutions = ["4k", "1080p", "720p"];
    private static readonly string[] AspectRatios = ["16:9", "9:16", "4:5", "5:4", "1:1", "auto"];
    private static readonly string[] OutputFormats = ["mp4", "webm"];
    private static readonly string[] Fits = ["contain", "cover"];
    private static readonly string[] Expressiveness = ["high", "medium", "low"];
    private static readonly string[] BackgroundTypes = ["color", "image"];
    private static readonly string[] CaptionFormats = ["srt"];
    private static readonly string[] CaptionStyles = ["default"];
    private static readonly string[] Engines = ["avatar_iv", "avatar_v", "avatar_iii"];

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    /// <summary>Null and a request when the body is acceptable; otherwise the first problem found.</summary>
    public static ApiError? TryParse(ReadOnlySequence<byte> body, out CreateVideoRequest? request)
    {
        request = null;
        var draft = new Draft();
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return NotAnObject();
            ReadTopLevel(ref reader, draft);
            // Anything after the object (a second value) makes the reader throw here.
            reader.Read();
        }
        catch (JsonException)
        {
            return NotAnObject();
        }
        catch (InvalidOperationException)
        {
            return NotAnObject();
        }

        return draft.Resolve(out request);
    }

    private static ApiError NotAnObject() =>
        ApiError.InvalidParameter("The request body must be a JSON object (CreateVideoFromAvatar).");

    private static void ReadTopLevel(ref Utf8JsonReader reader, Draft draft)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var field = FieldOf(name);
            if (field is null)
            {
                draft.UnknownProperty ??= name;
                reader.Skip();
                continue;
            }

            var bit = 1UL << (int)field.Value;
            if ((draft.Seen & bit) != 0)
                draft.DuplicateProperty ??= name;
            draft.Seen |= bit;
            ReadField(ref reader, field.Value, name, draft);
        }
    }

    private static void ReadField(ref Utf8JsonReader reader, Field field, string name, Draft draft)
    {
        switch (field)
        {
            case Field.Type:
                if (reader.TokenType == JsonTokenType.String)
                    draft.Type = reader.GetString();
                else
                    draft.TypeIsNotString = true;
                reader.Skip();
                break;
            case Field.AvatarId:
                draft.AvatarId = ReadString(ref reader, name, nullable: false, draft);
                break;
            case Field.Script:
                draft.Script = ReadString(ref reader, name, nullable: true, draft);
                break;
            case Field.VoiceId:
                draft.VoiceId = ReadString(ref reader, name, nullable: true, draft);
                break;
            case Field.AudioUrl:
            case Field.AudioAssetId:
                if (ReadString(ref reader, name, nullable: true, draft) is not null)
                    draft.AudioParam ??= name;
                break;
            case Field.Title:
                draft.Title = ReadString(ref reader, name, nullable: true, draft);
                break;
            case Field.CallbackUrl:
                draft.CallbackUrl = ReadString(ref reader, name, nullable: true, draft);
                if (draft.CallbackUrl is not null && !IsHttpUrl(draft.CallbackUrl))
                    draft.Fail($"'{name}' must be an absolute http or https URL.", name);
                break;
            case Field.CallbackId:
                draft.CallbackId = ReadString(ref reader, name, nullable: true, draft);
                break;
            case Field.MotionPrompt:
                ReadString(ref reader, name, nullable: true, draft);
                break;
            case Field.Resolution:
                draft.Resolution = ReadEnum(ref reader, name, Resolutions, draft);
                break;
            case Field.AspectRatio:
                draft.AspectRatio = ReadEnum(ref reader, name, AspectRatios, draft);
                break;
            case Field.OutputFormat:
                draft.OutputFormat = ReadEnum(ref reader, name, OutputFormats, draft);
                break;
            case Field.Fit:
                ReadEnum(ref reader, name, Fits, draft);
                break;
            case Field.Expressiveness:
                ReadEnum(ref reader, name, Expressiveness, draft);
                break;
            case Field.RemoveBackground:
            case Field.Test:
                ReadBoolean(ref reader, name, draft);
                break;
            case Field.Background:
                draft.HasBackground = ReadBackground(ref reader, name, draft);
                break;
            case Field.VoiceSettings:
                ReadVoiceSettings(ref reader, name, draft);
                break;
            case Field.Caption:
                ReadCaption(ref reader, name, draft);
                break;
            case Field.Engine:
                ReadEngine(ref reader, name, draft);
                break;
            case Field.Watermark:
                // Tolerated, not simulated: shape-checked only as far as "an object or null".
                if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
                    draft.Fail($"'{name}' must be an object or null.", name);
                reader.Skip();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader, string param, bool nullable, Draft draft)
    {
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        if (reader.TokenType != JsonTokenType.Null || !nullable)
            draft.Fail(nullable ? $"'{param}' must be a string or null." : $"'{param}' must be a string.", param);
        reader.Skip();
        return null;
    }

    private static string? ReadEnum(ref Utf8JsonReader reader, string param, string[] allowed, Draft draft)
    {
        var value = ReadString(ref reader, param, nullable: true, draft);
        if (value is not null && Array.IndexOf(allowed, value) < 0)
        {
            draft.Fail($"'{param}' must be one of: {string.Join(", ", allowed)}.", param);
            return null;
        }

        return value;
    }

    private static void ReadBoolean(ref Utf8JsonReader reader, string param, Draft draft)
    {
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
            draft.Fail($"'{param}' must be a boolean or null.", param);
        reader.Skip();
    }

    private static void ReadNumber(ref Utf8JsonReader reader, string param, double min, double max, Draft draft)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || value < min || value > max)
            draft.Fail($"'{param}' must be a number between {min:0.0##} and {max:0.0##}.", param);
        reader.Skip();
    }

    /// <summary>Walks a nested object; false when it was null (or not an object, which is reported).</summary>
    private static bool EnterObject(ref Utf8JsonReader reader, string param, Draft draft)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
            return true;
        if (reader.TokenType != JsonTokenType.Null)
            draft.Fail($"'{param}' must be an object or null.", param);
        reader.Skip();
        return false;
    }

    private static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        if (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            name = reader.GetString()!;
            reader.Read();
            return true;
        }

        name = string.Empty;
        return false;
    }

    private static void UnknownNested(ref Utf8JsonReader reader, string path, Draft draft)
    {
        draft.Fail($"Unknown field '{path}'.", path);
        reader.Skip();
    }

    private static void ReadVoiceSettings(ref Utf8JsonReader reader, string param, Draft draft)
    {
        if (!EnterObject(ref reader, param, draft))
            return;
        while (NextProperty(ref reader, out var name))
        {
            var path = $"{param}.{name}";
            switch (name)
            {
                case "speed":
                    ReadNumber(ref reader, path, 0.5, 1.5, draft);
                    break;
                case "pitch":
                    ReadNumber(ref reader, path, -50, 50, draft);
                    break;
                case "volume":
                    ReadNumber(ref reader, path, 0, 1, draft);
                    break;
                case "locale":
                    ReadString(ref reader, path, nullable: true, draft);
                    break;
                case "engine_settings":
                    // Vendor-specific tuning (elevenlabs, fish, ...): accepted as an opaque object.
                    if (EnterObject(ref reader, path, draft))
                        reader.Skip();
                    break;
                default:
                    UnknownNested(ref reader, path, draft);
                    break;
            }
        }
    }

    private static bool ReadBackground(ref Utf8JsonReader reader, string param, Draft draft)
    {
        if (!EnterObject(ref reader, param, draft))
            return false;
        string? type = null, value = null, url = null, assetId = null;
        while (NextProperty(ref reader, out var name))
        {
            var path = $"{param}.{name}";
            switch (name)
            {
                case "type":
                    type = ReadEnum(ref reader, path, BackgroundTypes, draft);
                    break;
                case "value":
                    value = ReadString(ref reader, path, nullable: true, draft);
                    break;
                case "url":
                    url = ReadString(ref reader, path, nullable: true, draft);
                    break;
                case "asset_id":
                    assetId = ReadString(ref reader, path, nullable: true, draft);
                    break;
                default:
                    UnknownNested(ref reader, path, draft);
                    break;
            }
        }

        if (type is null)
            draft.Fail($"'{param}.type' is required (color or image).", $"{param}.type");
        else if (type == "color" && value is null)
            draft.Fail($"'{param}.value' is required when '{param}.type' is color.", $"{param}.value");
        else if (type == "image" && (url is null) == (assetId is null))
            draft.Fail($"Exactly one of '{param}.url' and '{param}.asset_id' is required when '{param}.type' is image.", $"{param}.url");
        return true;
    }

    private static void ReadCaption(ref Utf8JsonReader reader, string param, Draft draft)
    {
        if (!EnterObject(ref reader, param, draft))
            return;
        draft.HasCaptions = true;
        while (NextProperty(ref reader, out var name))
        {
            var path = $"{param}.{name}";
            switch (name)
            {
                case "file_format":
                    ReadEnum(ref reader, path, CaptionFormats, draft);
                    break;
                case "style":
                    draft.BurnsInCaptions = ReadEnum(ref reader, path, CaptionStyles, draft) is not null;
                    break;
                default:
                    UnknownNested(ref reader, path, draft);
                    break;
            }
        }
    }

    private static void ReadEngine(ref Utf8JsonReader reader, string param, Draft draft)
    {
        if (!EnterObject(ref reader, param, draft))
            return;
        string? type = null;
        while (NextProperty(ref reader, out var name))
        {
            var path = $"{param}.{name}";
            switch (name)
            {
                case "type":
                    type = ReadEnum(ref reader, path, Engines, draft);
                    break;
                case "reference_look_id":
                    ReadString(ref reader, path, nullable: true, draft);
                    break;
                default:
                    UnknownNested(ref reader, path, draft);
                    break;
            }
        }

        if (type is null)
            draft.Fail($"'{param}.type' is required ({string.Join(", ", Engines)}).", $"{param}.type");
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>Counts characters as code points, as HeyGen's (Python) validation does, not UTF-16 units.</summary>
    private static bool ScriptLengthIsValid(string script)
    {
        if (script.Length == 0)
            return false;
        if (script.Length <= MaxScriptCharacters)
            return true;
        var count = 0;
        foreach (var _ in script.EnumerateRunes())
        {
            if (++count > MaxScriptCharacters)
                return false;
        }

        return true;
    }

    private static Field? FieldOf(string name) => name switch
    {
        "type" => Field.Type,
        "avatar_id" => Field.AvatarId,
        "script" => Field.Script,
        "voice_id" => Field.VoiceId,
        "audio_url" => Field.AudioUrl,
        "audio_asset_id" => Field.AudioAssetId,
        "title" => Field.Title,
        "resolution" => Field.Resolution,
        "aspect_ratio" => Field.AspectRatio,
        "fit" => Field.Fit,
        "background" => Field.Background,
        "remove_background" => Field.RemoveBackground,
        "output_format" => Field.OutputFormat,
        "caption" => Field.Caption,
        "callback_url" => Field.CallbackUrl,
        "callback_id" => Field.CallbackId,
        "voice_settings" => Field.VoiceSettings,
        "engine" => Field.Engine,
        "motion_prompt" => Field.MotionPrompt,
        "expressiveness" => Field.Expressiveness,
        "watermark" => Field.Watermark,
        "test" => Field.Test,
        _ => null,
    };

    /// <summary>The documented CreateVideoFromAvatar properties (plus <c>test</c>, which HeyGen's own n8n node sends).</summary>
    private enum Field
    {
        Type,
        AvatarId,
        Script,
        VoiceId,
        AudioUrl,
        AudioAssetId,
        Title,
        Resolution,
        AspectRatio,
        Fit,
        Background,
        RemoveBackground,
        OutputFormat,
        Caption,
        CallbackUrl,
        CallbackId,
        VoiceSettings,
        Engine,
        MotionPrompt,
        Expressiveness,
        Watermark,
        Test,
    }

    /// <summary>What the pass has seen so far; problems are ranked only at the end.</summary>
    private sealed class Draft
    {
        public ulong Seen;
        public string? Type;
        public bool TypeIsNotString;
        public string? AvatarId;
        public string? Script;
        public string? VoiceId;
        public string? AudioParam;
        public string? Title;
        public string? CallbackUrl;
        public string? CallbackId;
        public string? Resolution;
        public string? AspectRatio;
        public string? OutputFormat;
        public bool HasBackground;
        public bool HasCaptions;
        public bool BurnsInCaptions;
        public string? UnknownProperty;
        public string? DuplicateProperty;
        public ApiError? ValueError;

        public void Fail(string message, string param) => ValueError ??= ApiError.InvalidParameter(message, param);

        /// <summary>
        /// Ranks problems as a discriminated-union validator would: the discriminator first, then the shape
        /// (unknown, duplicate, mistyped fields), then required fields and cross-field rules.
        /// </summary>
        public ApiError? Resolve(out CreateVideoRequest? request)
        {
            request = null;
            if (TypeIsNotString)
                return ApiError.InvalidParameter("'type' must be a string.", "type");
            if ((Seen & (1UL << (int)Field.Type)) == 0 || Type is null)
                return ApiError.InvalidParameter("'type' is required; the sandbox supports \"avatar\".", "type");
            if (Array.IndexOf(UnsupportedTypes, Type) >= 0)
                return ApiError.InvalidParameter(
                    $"Only type \"avatar\" is supported by the sandbox; \"{Type}\" videos are not simulated.", "type");
            if (Type != "avatar")
                return ApiError.InvalidParameter("'type' must be one of: avatar, image.", "type");
            if (UnknownProperty is not null)
                return ApiError.InvalidParameter(
                    $"Unknown field '{UnknownProperty}'. The sandbox rejects fields outside CreateVideoFromAvatar to catch client typos.",
                    UnknownProperty);
            if (DuplicateProperty is not null)
                return ApiError.InvalidParameter($"Field '{DuplicateProperty}' appears more than once.", DuplicateProperty);
            if (ValueError is not null)
                return ValueError;
            if (string.IsNullOrEmpty(AvatarId))
                return ApiError.InvalidParameter("'avatar_id' is required.", "avatar_id");
            if (Script is not null && AudioParam is not null)
                return ApiError.InvalidParameter($"'script' and '{AudioParam}' are mutually exclusive.", AudioParam);
            if (Script is null)
                return ApiError.InvalidParameter(
                    AudioParam is null
                        ? "'script' is required."
                        : "The sandbox simulates script-driven videos only; send 'script' and 'voice_id' instead of audio.",
                    "script");
            if (!ScriptLengthIsValid(Script))
                return ApiError.InvalidParameter($"'script' must be between 1 and {MaxScriptCharacters} characters.", "script");
            if (string.IsNullOrEmpty(VoiceId))
                return ApiError.InvalidParameter("'voice_id' is required when 'script' is provided.", "voice_id");
            if (OutputFormat == "webm" && HasBackground)
                return ApiError.InvalidParameter("'background' is not supported with output_format \"webm\".", "background");

            request = new CreateVideoRequest(
                AvatarId, Script, VoiceId, Title, CallbackUrl, CallbackId, Resolution, AspectRatio,
                OutputFormat ?? "mp4", HasCaptions, BurnsInCaptions);
            return null;
        }
    }
}
