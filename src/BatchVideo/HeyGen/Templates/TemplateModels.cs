using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchVideo.HeyGen.Templates;

// Schemas: heygen-cli gen/template.go @ 7699a8ee00a4decafb9bef93c80950217e4cba6e (TemplateList, TemplateGet,
// TemplateGenerate); the April 2026 OpenAPI document predates these endpoints. docs/heygen-contract.md "Templates".

/// <summary>One template of <c>GET /v3/templates</c> ("Template summary returned by the list endpoint").</summary>
/// <param name="CreatedAt">Unix seconds, when HeyGen sends it.</param>
/// <param name="UpdatedAt">Unix seconds of the last save in the editor, when HeyGen sends it.</param>
public sealed record TemplateSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("aspect_ratio")] string? AspectRatio,
    [property: JsonPropertyName("thumbnail_url")] string? ThumbnailUrl,
    [property: JsonPropertyName("created_at")] long? CreatedAt,
    [property: JsonPropertyName("updated_at")] long? UpdatedAt);

/// <summary>
/// A page of <c>GET /v3/templates?limit=&amp;token=</c>: <c>limit</c> 1-100 (CLI default 10), the cursor
/// <c>next_token</c> beside <c>data</c> as for videos. Only "API-ready" templates, those with variables, are listed.
/// </summary>
public sealed record TemplatePage(
    [property: JsonPropertyName("data")] IReadOnlyList<TemplateSummary> Data,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("next_token")] string? NextToken);

/// <summary>
/// The <c>data</c> of <c>GET /v3/templates/{template_id}</c>: "its variable schema (with current default values)
/// and scenes". The variables are kept as the JSON HeyGen sent, because they are "returned in the same shape the
/// generate request accepts": a body is built by replacing only a variable's value (<see cref="TemplateVariable.WithValue"/>).
/// </summary>
public sealed record TemplateDetail
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("aspect_ratio")]
    public string? AspectRatio { get; init; }

    [JsonPropertyName("thumbnail_url")]
    public string? ThumbnailUrl { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created_at")]
    public long? CreatedAt { get; init; }

    /// <summary>Unix seconds of the last save ("Unix timestamp of last update").</summary>
    [JsonPropertyName("updated_at")]
    public long? UpdatedAt { get; init; }

    /// <summary>
    /// A counter of saves. Not in the CLI's schema at 7699a8ee (only <c>updated_at</c> is); read when HeyGen sends it,
    /// and the sandbox does. Its form is unknown, so a number or a numeric string is read and anything else is taken as
    /// absent rather than failing the read; <see cref="RevisionMarker"/> then falls back to <see cref="UpdatedAt"/>.
    /// </summary>
    [JsonPropertyName("revision")]
    [JsonConverter(typeof(LenientRevisionConverter))]
    public long? Revision { get; init; }

    /// <summary>"Scene IDs in template order".</summary>
    [JsonPropertyName("scene_ids")]
    public IReadOnlyList<string>? SceneIds { get; init; }

    [JsonPropertyName("scenes")]
    public IReadOnlyList<TemplateScene>? Scenes { get; init; }

    /// <summary>"Variables defined in the template with their current default values, keyed by variable name".</summary>
    [JsonPropertyName("variables")]
    public IReadOnlyDictionary<string, JsonElement>? RawVariables { get; init; }

    /// <summary>The variables in the order HeyGen listed them.</summary>
    [JsonIgnore]
    public IReadOnlyList<TemplateVariable> Variables =>
        RawVariables?.Select(pair => TemplateVariable.From(pair.Key, pair.Value)).ToList() ?? [];

    /// <summary>
    /// What changes when the template is saved in HeyGen's editor: <c>r</c> + <see cref="Revision"/> when HeyGen sends one,
    /// else <c>u</c> + <see cref="UpdatedAt"/>, else null (nothing to compare). A sample's approval records it.
    /// </summary>
    [JsonIgnore]
    public string? RevisionMarker => Revision is { } revision
        ? "r" + revision.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : UpdatedAt is { } updated ? "u" + updated.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The variable named <paramref name="name"/> (names are case-sensitive keys), or null.</summary>
    public TemplateVariable? Variable(string name) =>
        RawVariables is not null && RawVariables.TryGetValue(name, out var value) ? TemplateVariable.From(name, value) : null;
}

/// <summary>"A scene defined in the template": its id (usable in <c>scene_ids</c>), its script and the variables it uses.</summary>
/// <param name="Script">"Scene script text, with variable placeholders unreplaced" (<c>{{name}}</c>); null when the scene speaks none.</param>
public sealed record TemplateScene(
    [property: JsonPropertyName("scene_id")] string SceneId,
    [property: JsonPropertyName("script")] string? Script,
    [property: JsonPropertyName("variables")] IReadOnlyList<TemplateSceneVariable>? Variables);

/// <summary>"A variable used within a scene": its name (a key of the template's variables) and its type.</summary>
public sealed record TemplateSceneVariable(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("variable_type")] string VariableType);

/// <summary>Reads an undocumented field as a whole number when it is one (or a string of one), else as null.</summary>
internal sealed class LenientRevisionConverter : JsonConverter<long?>
{
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out var number):
                return number;
            case JsonTokenType.String when long.TryParse(reader.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>The body of <c>GET /v3/templates/{template_id}</c>.</summary>
internal sealed record TemplateDetailEnvelope([property: JsonPropertyName("data")] TemplateDetail Data);
