using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchVideo.HeyGen.Templates;

/// <summary>
/// One variable of a template as <c>GET /v3/templates/{id}</c> returned it, "in the same shape the generate request
/// accepts" (heygen-cli gen/template.go <c>TemplateGet</c>). The CLI leaves that shape open; HeyGen's template guides
/// show it as <c>{"name", "type", "properties": {…}}</c> with the value in one property per type
/// (<see cref="ValueProperty"/>). Only that value is ever replaced: every other field goes back as HeyGen sent it.
/// </summary>
/// <param name="Name">The key in the template's <c>variables</c>, and the <c>{{name}}</c> in its scripts.</param>
/// <param name="Type"><c>text</c>, <c>image</c>, <c>video</c>, <c>audio</c>, <c>character</c> or <c>voice</c>; null when HeyGen sent none.</param>
/// <param name="Json">The variable object exactly as HeyGen sent it.</param>
public sealed record TemplateVariable(string Name, string? Type, JsonElement Json)
{
    public const string Text = "text";
    public const string Image = "image";
    public const string Video = "video";
    public const string Audio = "audio";
    public const string Character = "character";
    public const string Voice = "voice";

    /// <summary>The variable types HeyGen names ("text, image, video, audio, character, or voice").</summary>
    public static IReadOnlyList<string> KnownTypes { get; } = [Text, Image, Video, Audio, Character, Voice];

    /// <summary>
    /// Where a type keeps its value inside <c>properties</c>: text <c>content</c>; image, video and audio <c>url</c>
    /// (or an <c>asset_id</c> instead); voice <c>voice_id</c>; character <c>character_id</c>. Source: the template
    /// guides at docs.heygen.com/docs/replace-textvoice-in-template (v3 GET shown), replace-image/video/avatar-in-template.
    /// </summary>
    public static string? ValueProperty(string? type) => type switch
    {
        Text => "content",
        Image or Video or Audio => "url",
        Voice => "voice_id",
        Character => "character_id",
        _ => null,
    };

    /// <summary>True for the types whose value is a media URL (image, video, audio).</summary>
    public bool IsMedia => Type is Image or Video or Audio;

    /// <summary>The current value as text (a text's content, a media URL or asset id, a voice or look id), or null.</summary>
    public string? CurrentValue
    {
        get
        {
            if (Json.ValueKind != JsonValueKind.Object || !Json.TryGetProperty("properties", out var properties)
                || properties.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (ValueProperty(Type) is { } key && properties.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            return IsMedia && properties.TryGetProperty("asset_id", out var asset) && asset.ValueKind == JsonValueKind.String
                ? asset.GetString()
                : null;
        }
    }

    /// <summary>
    /// This variable with <paramref name="value"/> in place of its current value, every other field as HeyGen sent it.
    /// For a media type the <c>asset_id</c> is dropped, since a URL and an asset id are alternatives and HeyGen would
    /// otherwise be free to keep showing the old asset.
    /// </summary>
    /// <exception cref="InvalidOperationException">The variable's type has no known value property, or it is not an object.</exception>
    public JsonObject WithValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var key = ValueProperty(Type)
            ?? throw new InvalidOperationException($"Template variable '{Name}' has type '{Type ?? "(none)"}', whose value BatchVideo cannot set.");
        if (JsonNode.Parse(Json.GetRawText()) is not JsonObject copy)
        {
            throw new InvalidOperationException($"Template variable '{Name}' is not a JSON object.");
        }

        var properties = copy["properties"] as JsonObject ?? [];
        if (copy["properties"] is null)
        {
            copy["properties"] = properties;
        }

        properties[key] = value;
        if (IsMedia)
        {
            properties.Remove("asset_id");
        }

        return copy;
    }

    /// <summary>Reads a variable from its key and JSON; the type comes from the object's <c>type</c>.</summary>
    public static TemplateVariable From(string name, JsonElement json)
    {
        var type = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        return new TemplateVariable(name, type, json.Clone());
    }
}
