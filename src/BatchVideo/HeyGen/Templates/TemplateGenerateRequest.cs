using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BatchVideo.HeyGen.Templates;

/// <summary>
/// Body of <c>POST /v3/templates/{template_id}</c> ("Request body for POST /v3/templates/{template_id}",
/// heygen-cli gen/template.go @ 7699a8ee, <c>TemplateGenerate</c>). Only <c>variables</c> is required; every
/// field left null is left out, so HeyGen's default applies (given beside each). The answer is a video
/// (<c>data.id</c>, <c>data.status</c>) followed with <c>GET /v3/videos/{id}</c> like any other.
/// </summary>
public sealed record TemplateGenerateRequest
{
    /// <summary>
    /// "Template variable replacements, keyed by the variable name defined in the template": each value a variable
    /// object as <c>GET</c> returned it with its value replaced (<see cref="TemplateVariable.WithValue"/>). A text
    /// variable left out is not substituted: its literal <c>{{name}}</c> stays in the video.
    /// </summary>
    [JsonPropertyName("variables")]
    public required JsonObject Variables { get; init; }

    /// <summary>"Scene IDs to render, in order (repeats allowed)"; existing scenes only. Null: all scenes in template order.</summary>
    [JsonPropertyName("scene_ids")]
    public IReadOnlyList<string>? SceneIds { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>"Whether to burn captions into the video" (a boolean here, unlike the avatar create's object); default false.</summary>
    [JsonPropertyName("caption")]
    public bool? Caption { get; init; }

    /// <summary>Burned-in subtitle style; "Implies captions when provided".</summary>
    [JsonPropertyName("subtitles")]
    public TemplateSubtitles? Subtitles { get; init; }

    /// <summary>"Whether to include a GIF preview in the webhook payload"; default false.</summary>
    [JsonPropertyName("include_gif")]
    public bool? IncludeGif { get; init; }

    /// <summary>"Whether the generated video's share page is publicly accessible"; default false (a private page).</summary>
    [JsonPropertyName("enable_sharing")]
    public bool? EnableSharing { get; init; }

    [JsonPropertyName("folder_id")]
    public string? FolderId { get; init; }

    /// <summary>"Brand voice ID controlling pronunciation". The CLI has no <c>brand_glossary_id</c> on this endpoint.</summary>
    [JsonPropertyName("brand_voice_id")]
    public string? BrandVoiceId { get; init; }

    /// <summary>"Output resolution override. Must match the template's aspect ratio."</summary>
    [JsonPropertyName("dimension")]
    public TemplateDimension? Dimension { get; init; }

    /// <summary>"Output frame rate. One of 25, 30, or 60"; default 25.</summary>
    [JsonPropertyName("fps")]
    public double? Fps { get; init; }

    /// <summary>Re-centres replaced text vertically by its rendered height; default false.</summary>
    [JsonPropertyName("keep_text_vertically_centered")]
    public bool? KeepTextVerticallyCentered { get; init; }

    /// <summary>Background audio moves with its scenes (true, the default) or stays pinned to layout positions.</summary>
    [JsonPropertyName("reorder_music")]
    public bool? ReorderMusic { get; init; }

    /// <summary>"Opaque ID echoed back in webhook events for this video".</summary>
    [JsonPropertyName("callback_id")]
    public string? CallbackId { get; init; }

    /// <summary>"URL called with the video result in addition to registered webhook endpoints".</summary>
    [JsonPropertyName("callback_url")]
    public string? CallbackUrl { get; init; }

    /// <summary>The exact JSON this request sends.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TemplateJson.Default.TemplateGenerateRequest);

    /// <summary>The values of the text variables, one a line: what the video says when nothing else is known.</summary>
    public string TextValues() => string.Join('\n', Variables
        .Select(pair => pair.Value is JsonObject variable && (string?)variable["type"] == TemplateVariable.Text
            ? variable["properties"]?["content"]?.GetValue<string>()
            : null)
        .OfType<string>());
}

/// <summary>The generate body's <c>dimension</c>: even pixels, 128-4096 each; both required.</summary>
public sealed record TemplateDimension(
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height);

/// <summary>The generate body's <c>subtitles</c>: a preset (required, e.g. <c>classic</c>, <c>bold</c>, <c>bright</c>) and overrides.</summary>
public sealed record TemplateSubtitles
{
    [JsonPropertyName("preset_name")]
    public required string PresetName { get; init; }

    /// <summary>Default 2.</summary>
    [JsonPropertyName("alignment")]
    public int? Alignment { get; init; }

    [JsonPropertyName("disable_highlight")]
    public bool? DisableHighlight { get; init; }

    [JsonPropertyName("font_size")]
    public int? FontSize { get; init; }

    [JsonPropertyName("position")]
    public TemplateSubtitlePosition? Position { get; init; }
}

/// <summary>Subtitle position override (<c>x</c>, <c>y</c>, default 0 each).</summary>
public sealed record TemplateSubtitlePosition(
    [property: JsonPropertyName("x")] double X,
    [property: JsonPropertyName("y")] double Y);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TemplateGenerateRequest))]
[JsonSerializable(typeof(TemplatePage))]
[JsonSerializable(typeof(TemplateDetailEnvelope))]
internal sealed partial class TemplateJson : JsonSerializerContext;
