using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using BatchVideo.HeyGen.Templates;
using BatchVideo.Sandbox;

namespace BatchVideo.Tests.Sandbox;

/// <summary>
/// The generate body has one source, HeyGen's CLI (the April OpenAPI document predates it): the client's record and
/// the sandbox's schema must both name exactly its fields, so neither can drift from it, nor from each other, unseen.
/// </summary>
[TestFixture]
public sealed class TemplateSchemaTests
{
    // heygen-cli gen/template.go @ 7699a8ee00a4decafb9bef93c80950217e4cba6e, TemplateGenerate.RequestSchema:
    // "properties" (sorted) and "required".
    private static readonly string[] CliFields =
    [
        "brand_voice_id", "callback_id", "callback_url", "caption", "dimension", "enable_sharing", "folder_id", "fps",
        "include_gif", "keep_text_vertically_centered", "reorder_music", "scene_ids", "subtitles", "title", "variables",
    ];

    private static JsonDocument SandboxSchema()
    {
        using var stream = typeof(SandboxServer).Assembly.GetManifestResourceStream("BatchVideo.Sandbox.Schemas.generate-from-template.json")!;
        return JsonDocument.Parse(stream);
    }

    [Test]
    public void The_sandbox_schema_names_the_CLIs_fields_and_requires_only_variables()
    {
        using var schema = SandboxSchema();
        var root = schema.RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), Is.EqualTo(CliFields));
            Assert.That(root.GetProperty("required").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "variables" }));
            Assert.That(root.GetProperty("$comment").GetString(), Does.Contain("gen/template.go @ 7699a8ee"));
            Assert.That(root.GetProperty("properties").GetProperty("subtitles").GetProperty("anyOf")[0].GetProperty("required")[0].GetString(), Is.EqualTo("preset_name"));
        });
    }

    [Test]
    public void The_client_body_names_the_CLIs_fields()
    {
        var names = typeof(TemplateGenerateRequest).GetProperties()
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

        Assert.That(names, Is.EqualTo(CliFields));
    }
}
