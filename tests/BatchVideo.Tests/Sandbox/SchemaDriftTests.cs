using System.Text.Json;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sandbox;

/// <summary>
/// Holds the sandbox's request schemas against HeyGen's OpenAPI document (shared/reference, beside the
/// repository): every property, type, enum, limit, required list and additionalProperties must be the
/// document's, unless the property says why not in a "$comment" starting with "overlay" and naming its
/// source. A new fact in either file without such a comment fails here.
/// </summary>
[TestFixture]
public sealed class SchemaDriftTests
{
    private const string ReferenceName = "heygen-external-api-2026-04-08.json";

    [TestCase("create-video-from-avatar", "CreateVideoFromAvatar")]
    [TestCase("create-video-agent", "CreateVideoAgentRequest")]
    [TestCase("text-to-speech", "TextToSpeechRequest")]
    public void Schema_matches_the_OpenAPI_component_except_its_sourced_overlay(string schemaName, string component)
    {
        using var ours = JsonDocument.Parse(ReadEmbedded(schemaName));
        using var reference = JsonDocument.Parse(File.ReadAllText(ReferencePath()));
        var theirs = reference.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(component);
        var problems = new List<string>();

        Compare(
            new Side(ours.RootElement, ours.RootElement, "#/$defs/"),
            new Side(theirs, reference.RootElement, "#/components/schemas/"),
            component,
            problems);

        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [TestCase("create-video-from-avatar")]
    [TestCase("create-video-agent")]
    public void Every_overlay_names_its_source(string schemaName)
    {
        var text = ReadEmbedded(schemaName);
        using var document = JsonDocument.Parse(text);
        var comments = new List<string>();
        CollectComments(document.RootElement, comments);
        var overlays = comments.Where(c => c.StartsWith("overlay", StringComparison.Ordinal)).ToList();

        Assert.That(overlays, Is.Not.Empty);
        Assert.That(overlays, Has.All.Contains("Source:"));
    }

    private static void Compare(Side ours, Side theirs, string path, List<string> problems)
    {
        var a = Facts.Of(ours);
        var b = Facts.Of(theirs);
        if (!a.SameShape(b))
            problems.Add($"{path}: ours {a}, the document's {b}");
        var names = a.Properties.Keys.Union(b.Properties.Keys).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var here = $"{path}.{name}";
            var inOurs = a.Properties.TryGetValue(name, out var ourProperty);
            var inTheirs = b.Properties.TryGetValue(name, out var theirProperty);
            if (!inOurs)
            {
                problems.Add($"{here}: in the document, missing from our schema");
                continue;
            }

            var overlay = ourProperty!.Element.TryGetProperty("$comment", out var comment)
                && comment.GetString()!.StartsWith("overlay", StringComparison.Ordinal);
            if (!inTheirs)
            {
                if (!overlay)
                    problems.Add($"{here}: not in the document and not marked as overlay");
                continue;
            }

            if (overlay)
            {
                // Said to differ: must really differ, or the comment is stale.
                if (Facts.Of(ourProperty!).Equals(Facts.Of(theirProperty!)) && !HasNestedOverlay(ourProperty!))
                    problems.Add($"{here}: marked overlay but equal to the document (stale comment)");
                continue;
            }

            Compare(ourProperty!, theirProperty!, here, problems);
        }
    }

    private static bool HasNestedOverlay(Side side) => side.Element.GetRawText().Contains("overlay", StringComparison.Ordinal)
        || Facts.Resolve(side).Any(s => s.Element.GetRawText().Contains("overlay", StringComparison.Ordinal));

    private static void CollectComments(JsonElement element, List<string> comments)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "$comment")
                    comments.Add(property.Value.GetString()!);
                else
                    CollectComments(property.Value, comments);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                CollectComments(item, comments);
        }
    }

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(SandboxServer).Assembly.GetManifestResourceStream($"BatchVideo.Sandbox.Schemas.{name}.json")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The April 2026 document as kept in the repository (a copy of shared/reference, so a clean clone holds
    /// it); shared/reference beside the repository wins when present, so a newer copy there shows a drift.
    /// </summary>
    private static string ReferencePath()
    {
        var shared = Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "reference", ReferenceName));
        var kept = Path.Combine(Repository.Root, "tests", "BatchVideo.Tests", "Sandbox", "Reference", ReferenceName);
        var path = File.Exists(shared) ? shared : kept;
        if (!File.Exists(path))
        {
            Assert.Fail($"HeyGen's OpenAPI document is neither at {shared} nor at {kept}.");
        }

        return path;
    }

    /// <summary>A schema node and the document its references resolve in.</summary>
    private sealed record Side(JsonElement Element, JsonElement Root, string RefPrefix);

    /// <summary>The facts of one schema node, anyOf branches and references folded in; properties are compared one by one.</summary>
    private sealed record Facts(
        SortedSet<string> Types,
        SortedSet<string> Enum,
        string Limits,
        SortedSet<string> Required,
        bool AdditionalProperties,
        Dictionary<string, Side> Properties)
    {
        public static Facts Of(Side side)
        {
            var types = new SortedSet<string>(StringComparer.Ordinal);
            var values = new SortedSet<string>(StringComparer.Ordinal);
            var limits = new SortedSet<string>(StringComparer.Ordinal);
            var required = new SortedSet<string>(StringComparer.Ordinal);
            var additional = true;
            var properties = new Dictionary<string, Side>(StringComparer.Ordinal);
            foreach (var node in Resolve(side))
            {
                var e = node.Element;
                if (e.TryGetProperty("type", out var type))
                {
                    foreach (var t in type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(x => x.GetString()!) : [type.GetString()!])
                        types.Add(t);
                }

                if (e.TryGetProperty("enum", out var enumeration))
                {
                    foreach (var v in enumeration.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null))
                        values.Add(v.GetRawText());
                }

                if (e.TryGetProperty("const", out var constant))
                    values.Add(constant.GetRawText());
                foreach (var limit in new[] { "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "pattern" })
                {
                    if (e.TryGetProperty(limit, out var value))
                        limits.Add($"{limit}={(value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture) : value.GetRawText())}");
                }

                if (e.TryGetProperty("required", out var names))
                {
                    foreach (var n in names.EnumerateArray())
                        required.Add(n.GetString()!);
                }

                if (e.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False)
                    additional = false;
                if (e.TryGetProperty("properties", out var props))
                {
                    foreach (var p in props.EnumerateObject())
                        properties[p.Name] = node with { Element = p.Value };
                }
            }

            return new Facts(types, values, string.Join(",", limits), required, additional, properties);
        }

        /// <summary>The node itself, its anyOf branches and the targets of their references.</summary>
        public static IEnumerable<Side> Resolve(Side side)
        {
            var e = side.Element;
            if (e.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()![side.RefPrefix.Length..];
                var root = side.RefPrefix == "#/$defs/" ? side.Root.GetProperty("$defs") : side.Root.GetProperty("components").GetProperty("schemas");
                foreach (var target in Resolve(side with { Element = root.GetProperty(name) }))
                    yield return target;
                yield break;
            }

            yield return side;
            if (e.TryGetProperty("anyOf", out var branches))
            {
                foreach (var branch in branches.EnumerateArray())
                {
                    foreach (var target in Resolve(side with { Element = branch }))
                        yield return target;
                }
            }
        }

        public bool SameShape(Facts other) =>
            Types.SetEquals(other.Types) && Enum.SetEquals(other.Enum) && Limits == other.Limits
            && Required.SetEquals(other.Required) && AdditionalProperties == other.AdditionalProperties;

        public bool Equals(Facts? other) => other is not null && SameShape(other);

        public override int GetHashCode() => Types.Count;

        public override string ToString() =>
            $"types [{string.Join(",", Types)}] enum [{string.Join(",", Enum)}] limits [{Limits}] required [{string.Join(",", Required)}] additionalProperties {AdditionalProperties} properties [{string.Join(",", Properties.Keys.Order(StringComparer.Ordinal))}]";
    }
}
