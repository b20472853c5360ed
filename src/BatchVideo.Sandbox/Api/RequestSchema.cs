using System.Text.Json;
using Json.Schema;

namespace BatchVideo.Sandbox.Api;

/// <summary>
/// One request body's JSON Schema (an embedded resource under <c>Schemas/</c>, written from HeyGen's OpenAPI
/// document plus a sourced overlay) and what the sandbox makes of a body against it: the first problem as
/// HeyGen's <c>invalid_parameter</c> error, and the fields no schema names. Evaluation is JsonSchema.Net's;
/// only the mapping to HeyGen's error envelope is ours.
/// </summary>
internal sealed class RequestSchema
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.Hierarchical };

    private readonly JsonSchema schema;
    private readonly JsonDocument document;

    private RequestSchema(string name, string text)
    {
        Name = name;
        document = JsonDocument.Parse(text);
        // A private registry: the same $id loaded by two servers in one process must not collide.
        schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    /// <summary>The create-video body (CreateVideoFromAvatar).</summary>
    public static RequestSchema CreateVideoFromAvatar { get; } = Load("create-video-from-avatar");

    /// <summary>The Video Agent body (CreateVideoAgentRequest; additionalProperties false).</summary>
    public static RequestSchema CreateVideoAgent { get; } = Load("create-video-agent");

    /// <summary>The cinematic_avatar body of POST /v3/videos (from heygen-cli; not in the April document).</summary>
    public static RequestSchema CreateVideoFromCinematicAvatar { get; } = Load("create-video-from-cinematic-avatar");

    /// <summary>The body of POST /v3/voices/speech (TextToSpeechRequest; additionalProperties false).</summary>
    public static RequestSchema TextToSpeech { get; } = Load("text-to-speech");
    /// <summary>The body of POST /v3/templates/{template_id} (TemplateGenerate, from heygen-cli; not in the April document).</summary>
    public static RequestSchema GenerateFromTemplate { get; } = Load("generate-from-template");

    /// <summary>The schema's file name without extension.</summary>
    public string Name { get; }

    /// <summary>The schema document itself (for tests that hold it against HeyGen's OpenAPI document).</summary>
    public JsonElement Document => document.RootElement;

    /// <summary>The embedded schema text, as shipped.</summary>
    public static string ReadText(string name)
    {
        using var stream = typeof(RequestSchema).Assembly.GetManifestResourceStream($"BatchVideo.Sandbox.Schemas.{name}.json")
            ?? throw new InvalidOperationException($"Schema '{name}' is not embedded in the sandbox assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Null when <paramref name="body"/> is valid; otherwise the error HeyGen's envelope carries.</summary>
    public ApiError? Check(JsonElement body)
    {
        // Missing required top-level fields first, named as their own param (the schema's message names a list).
        if (body.ValueKind == JsonValueKind.Object && Document.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
            {
                if (!body.TryGetProperty(name, out _))
                {
                    return ApiError.InvalidParameter($"'{name}' is required.", name);
                }
            }
        }

        var results = schema.Evaluate(body, Evaluation);
        if (results.IsValid)
        {
            return null;
        }

        // The deepest failing location is the most specific one; anyOf branches that failed there are
        // reported together ("is not a string; is not null"). Only failing nodes are walked: a branch that
        // failed under an anyOf that passed is no problem.
        var failures = new List<(string Path, int Depth, IReadOnlyDictionary<string, string> Errors)>();
        CollectFailures(results, failures);
        if (failures.Count == 0)
        {
            return ApiError.InvalidParameter($"The body does not match {Name}.");
        }

        var deepest = failures.MaxBy(f => f.Depth);
        var messages = failures
            .Where(f => f.Path == deepest.Path)
            .SelectMany(f => f.Errors.Where(e => e.Key is not ("anyOf" or "oneOf" or "$ref")).Select(e => e.Value))
            .Distinct()
            .ToList();
        if (messages.Count == 0)
        {
            messages = [.. deepest.Errors.Values];
        }

        var param = deepest.Path.Length == 0 ? null : deepest.Path;
        var subject = param is null ? "The body" : $"'{param}'";
        return ApiError.InvalidParameter($"{subject} does not match {Name}: {string.Join("; ", messages)}", param);
    }

    private static void CollectFailures(EvaluationResults node, List<(string, int, IReadOnlyDictionary<string, string>)> failures)
    {
        if (node.IsValid)
        {
            return;
        }

        if (node.Errors is { Count: > 0 } errors)
        {
            failures.Add((ParamOf(node.InstanceLocation.ToString()), node.InstanceLocation.SegmentCount, errors));
        }

        foreach (var child in node.Details ?? [])
        {
            CollectFailures(child, failures);
        }
    }

    /// <summary>
    /// Dotted paths of the fields in <paramref name="body"/> that no schema property names, where the schema
    /// allows them (<c>additionalProperties</c> not false): a real API ignores them, the sandbox counts them.
    /// </summary>
    public IReadOnlyList<string> FieldsInNoSchema(JsonElement body)
    {
        var found = new List<string>();
        Collect(Document, body, "", found);
        return found;
    }

    private void Collect(JsonElement schema, JsonElement instance, string path, List<string> found)
    {
        schema = Resolve(schema);
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("anyOf", out var branches))
        {
            foreach (var branch in branches.EnumerateArray())
            {
                var resolved = Resolve(branch);
                if (resolved.TryGetProperty("properties", out _))
                {
                    Collect(resolved, instance, path, found);
                }
            }

            return;
        }

        if (!schema.TryGetProperty("properties", out var properties))
        {
            return; // an object the schema does not describe field by field (watermark, engine_settings)
        }

        foreach (var field in instance.EnumerateObject())
        {
            var fieldPath = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            if (properties.TryGetProperty(field.Name, out var fieldSchema))
            {
                Collect(fieldSchema, field.Value, fieldPath, found);
            }
            else
            {
                found.Add(fieldPath);
            }
        }
    }

    /// <summary>Follows a local <c>#/$defs/…</c> reference; anything else is returned as is.</summary>
    private JsonElement Resolve(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("$ref", out var reference)
            && reference.GetString() is { } target
            && target.StartsWith("#/$defs/", StringComparison.Ordinal))
        {
            return Document.GetProperty("$defs").GetProperty(target["#/$defs/".Length..]);
        }

        return schema;
    }

    /// <summary>"/voice_settings/speed" becomes "voice_settings.speed".</summary>
    private static string ParamOf(string pointer) =>
        string.Join('.', pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));

    private static RequestSchema Load(string name) => new(name, ReadText(name));
}
