using System.Buffers;
using System.Text;
using System.Text.Json;
using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Catalog;
using BatchVideo.Sandbox.Videos;

namespace BatchVideo.Sandbox.Templates;

/// <summary>
/// Checks a <c>POST /v3/templates/{id}</c> body against the CLI's schema (<see cref="RequestSchema.GenerateFromTemplate"/>)
/// and against the template, and turns it into the video to render: the chosen scenes' scripts with the given text
/// values in place. A text variable left out is not substituted: its literal <c>{{name}}</c> stays in the script,
/// as HeyGen documents, and the template's current value is not used as a fallback.
/// </summary>
internal static class TemplateGenerator
{
    public const string Kind = "template";

    /// <summary>Null and a request when the body is acceptable; otherwise the first problem found.</summary>
    /// <param name="ignored">Dotted paths of fields no schema names, and of variables the template does not have.</param>
    public static ApiError? TryParse(
        ReadOnlySequence<byte> body, SandboxTemplate template, SandboxCatalog catalog, out CreateVideoRequest? request, out IReadOnlyList<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(catalog);
        request = null;
        ignored = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, CreateVideoValidator.DocumentOptions);
        }
        catch (JsonException)
        {
            return ApiError.InvalidParameter("The request body must be one JSON object, each field once (TemplateGenerate).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ApiError.InvalidParameter("The request body must be a JSON object (TemplateGenerate).");
            }

            var schema = RequestSchema.GenerateFromTemplate;
            var error = schema.Check(root);
            if (error is not null)
            {
                return error;
            }

            var unknown = new List<string>(schema.FieldsInNoSchema(root));
            error = ReadScenes(root, template, out var scenes);
            if (error is not null)
            {
                return error;
            }

            error = ReadValues(root.GetProperty("variables"), template, catalog, unknown, out var values);
            if (error is not null)
            {
                return error;
            }

            ignored = unknown;
            request = Compose(root, template, catalog, scenes, values);
            return null;
        }
    }

    /// <summary>The scenes to render: <c>scene_ids</c> in its order (repeats allowed), or all in template order.</summary>
    private static ApiError? ReadScenes(JsonElement root, SandboxTemplate template, out List<SandboxScene> scenes)
    {
        scenes = [.. template.Scenes];
        if (!root.TryGetProperty("scene_ids", out var ids) || ids.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (ids.GetArrayLength() == 0)
        {
            return ApiError.InvalidParameter("'scene_ids' must name at least one scene; omit it to render all.", "scene_ids");
        }

        scenes = [];
        foreach (var id in ids.EnumerateArray().Select(i => i.GetString()!))
        {
            var scene = template.Scenes.FirstOrDefault(s => s.SceneId == id);
            if (scene is null)
            {
                return ApiError.InvalidParameter($"Scene {id} is not in template {template.Id}; the API cannot create scenes.", "scene_ids");
            }

            scenes.Add(scene);
        }

        return null;
    }

    /// <summary>Each given variable's value, checked against the template's variable of that name.</summary>
    private static ApiError? ReadValues(
        JsonElement variables, SandboxTemplate template, SandboxCatalog catalog, List<string> unknown, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var given in variables.EnumerateObject())
        {
            var param = $"variables.{given.Name}";
            var variable = template.Variable(given.Name);
            if (variable is null)
            {
                // HeyGen does not say what it does with a name the template lacks; the reading that hurts the
                // client is that it is ignored, the video made without it (counted, or refused by switch).
                unknown.Add(param);
                continue;
            }

            if (given.Value.ValueKind != JsonValueKind.Object)
            {
                return ApiError.InvalidParameter($"'{param}' must be a variable object {{\"name\",\"type\",\"properties\"}}.", param);
            }

            if (CreateVideoValidator.StringOf(given.Value, "type") is { } type && type != variable.Type)
            {
                return ApiError.InvalidParameter($"Variable {given.Name} is a {variable.Type} variable, not {type}.", param + ".type");
            }

            var key = SandboxTemplate.ValueProperty(variable.Type)!;
            var properties = given.Value.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var value = properties.ValueKind == JsonValueKind.Object ? CreateVideoValidator.StringOf(properties, key) : null;
            var assetId = properties.ValueKind == JsonValueKind.Object ? CreateVideoValidator.StringOf(properties, "asset_id") : null;
            if (value is null && !(variable.Type is "image" or "video" or "audio" && assetId is not null))
            {
                return ApiError.InvalidParameter($"Variable {given.Name} needs 'properties.{key}' (a string).", $"{param}.properties.{key}");
            }

            var error = CheckValue(variable, value, catalog, $"{param}.properties.{key}");
            if (error is not null)
            {
                return error;
            }

            values[given.Name] = value ?? assetId!;
        }

        return null;
    }

    private static ApiError? CheckValue(SandboxTemplateVariable variable, string? value, SandboxCatalog catalog, string param) => variable.Type switch
    {
        // AssetUrl: "Publicly accessible HTTPS URL for the asset" (heygen-cli gen/background-removal.go and others).
        "image" or "video" or "audio" when value is not null
            && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            => ApiError.InvalidParameter($"Variable {variable.Name} must be a publicly accessible HTTPS URL.", param),
        "voice" when !catalog.TryGetVoice(value!, out _) => ApiError.NotFound("voice_not_found", $"Voice {value} not found.", param),
        "character" when !catalog.TryGetLook(value!, out _) => ApiError.NotFound("avatar_not_found", $"Avatar look {value} not found.", param),
        _ => null,
    };

    private static CreateVideoRequest Compose(
        JsonElement root, SandboxTemplate template, SandboxCatalog catalog, List<SandboxScene> scenes, Dictionary<string, string> values)
    {
        var script = new StringBuilder();
        foreach (var scene in scenes.Where(s => s.Script is not null))
        {
            var text = scene.Script!;
            foreach (var variable in template.Variables.Where(v => v.Type == "text" && values.ContainsKey(v.Name)))
            {
                text = text.Replace("{{" + variable.Name + "}}", values[variable.Name], StringComparison.Ordinal);
            }

            script.Append(script.Length == 0 ? "" : " ").Append(text);
        }

        // The look and voice that speak: the given ones, else the template's own current ones.
        string? ValueOf(string type) =>
            template.Variables.FirstOrDefault(v => v.Type == type) is { } variable
                ? values.GetValueOrDefault(variable.Name, variable.Value)
                : null;
        var look = ValueOf("character") ?? catalog.Looks[0].Id;
        var voice = ValueOf("voice") ?? (catalog.TryGetLook(look, out var found) ? found.DefaultVoiceId : null) ?? catalog.Voices[0].VoiceId;
        var captions = (root.TryGetProperty("caption", out var caption) && caption.ValueKind == JsonValueKind.True)
            || (root.TryGetProperty("subtitles", out var subtitles) && subtitles.ValueKind == JsonValueKind.Object);
        return new CreateVideoRequest(
            AvatarId: look,
            Script: script.ToString(),
            VoiceId: voice,
            Title: CreateVideoValidator.StringOf(root, "title"),
            CallbackUrl: CreateVideoValidator.StringOf(root, "callback_url"),
            CallbackId: CreateVideoValidator.StringOf(root, "callback_id"),
            Resolution: null,
            AspectRatio: template.AspectRatio,
            OutputFormat: "mp4",
            HasCaptions: captions,
            // "Whether to burn captions into the video": a template's captions are burned in.
            BurnsInCaptions: captions)
        {
            Kind = Kind,
            TemplateId = template.Id,
        };
    }
}
