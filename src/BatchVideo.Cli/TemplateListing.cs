using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchVideo.HeyGen.Templates;

namespace BatchVideo.Cli;

/// <summary>
/// How <c>batchvideo heygen templates list|show</c> print HeyGen's templates: one line per template, and one
/// template's variables, scenes and revision with a <c>Variables</c> snippet to paste into a campaign. Every text
/// from HeyGen goes through <see cref="ConsoleText.Inert"/>: a name or script may carry control characters.
/// </summary>
internal static partial class TemplateListing
{
    // Quotes and backslashes escaped as JSON does; letters of any script (and Scriban's braces) kept readable.
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder Relaxed = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    [GeneratedRegex("[^A-Za-z0-9_]+")]
    private static partial Regex NotIdentifier();

    /// <summary>One line per template: id, name, aspect ratio, last save.</summary>
    public static void WriteList(TextWriter output, IReadOnlyList<TemplateSummary> templates)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(templates);
        if (templates.Count == 0)
        {
            output.WriteLine("No API-ready templates. HeyGen lists only templates with variables: give an element or a script");
            output.WriteLine("an API variable ({{name}}) in HeyGen's template editor, then list again.");
            return;
        }

        var idWidth = templates.Max(t => ConsoleText.Inert(t.Id).Length);
        var nameWidth = templates.Max(t => ConsoleText.Inert(t.Name).Length);
        foreach (var template in templates)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{ConsoleText.Inert(template.Id).PadRight(idWidth)}  {ConsoleText.Inert(template.Name).PadRight(nameWidth)}  {ConsoleText.Inert(template.AspectRatio ?? "-"),-5}  saved {When(template.UpdatedAt)}"));
        }

        output.WriteLine(templates.Count == 1 ? "1 template." : $"{templates.Count} templates.");
        output.WriteLine("Show one's variables and scenes: batchvideo heygen templates show <template-id>");
    }

    /// <summary>A template's revision, variables (name, type, current value), scenes with scripts, and the snippet.</summary>
    public static void WriteDetail(TextWriter output, TemplateDetail template)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(template);
        var revision = template.Revision is { } r ? r.ToString(CultureInfo.InvariantCulture) : "not given by HeyGen";
        output.WriteLine($"Template {ConsoleText.Inert(template.Id)}: {ConsoleText.Inert(template.Name)} ({ConsoleText.Inert(template.AspectRatio ?? "aspect ratio not given")})");
        output.WriteLine($"Revision {revision}, last saved {When(template.UpdatedAt)}");

        var variables = template.Variables;
        output.WriteLine();
        output.WriteLine($"Variables ({variables.Count}), with their current values:");
        var nameWidth = variables.Count == 0 ? 0 : variables.Max(v => ConsoleText.Inert(v.Name).Length);
        foreach (var variable in variables)
        {
            var value = variable.CurrentValue is { } current ? $"\"{JsonEncodedText.Encode(current, Relaxed)}\"" : "(none)";
            output.WriteLine($"  {ConsoleText.Inert(variable.Name).PadRight(nameWidth)}  {ConsoleText.Inert(variable.Type ?? "?"),-9}  {ConsoleText.Inert(value)}");
        }

        var scenes = template.Scenes ?? [];
        output.WriteLine();
        output.WriteLine($"Scenes ({scenes.Count}), in template order:");
        for (var i = 0; i < scenes.Count; i++)
        {
            var scene = scenes[i];
            var uses = scene.Variables is { Count: > 0 } used ? "uses " + string.Join(", ", used.Select(v => ConsoleText.Inert(v.Name))) : "uses no variable";
            output.WriteLine($"  {i + 1}. {ConsoleText.Inert(scene.SceneId)}  {uses}");
            output.WriteLine($"     {(scene.Script is null ? "(no script)" : ConsoleText.Inert(scene.Script))}");
        }

        output.WriteLine();
        output.WriteLine("Paste into your campaign (Campaigns:<name> in appsettings.json). Each text variable is filled per row from");
        output.WriteLine("the column of the same name (rename it to yours); a text variable left out would say \"{{name}}\" in the");
        output.WriteLine("video. The other types are set to the template's current value; a Scriban template of a column varies them");
        output.WriteLine("per row (image/video/audio: an https URL; voice: a voice id; character: a look id).");
        output.WriteLine(Snippet(template));
    }

    /// <summary>
    /// <c>"Type": "template"</c>, the <c>TemplateId</c> and a <c>Variables</c> map: a text variable as the Scriban
    /// template of a column of the same name, any other as its current value.
    /// </summary>
    public static string Snippet(TemplateDetail template)
    {
        ArgumentNullException.ThrowIfNull(template);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Relaxed, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("Type", "template");
            json.WriteString("TemplateId", template.Id);
            json.WriteStartObject("Variables");
            foreach (var variable in template.Variables)
            {
                json.WriteString(variable.Name, variable.Type == TemplateVariable.Text ? $"{{{{ {ColumnOf(variable.Name)} }}}}" : variable.CurrentValue ?? "");
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        // The writer escapes control characters itself; the bidirectional controls it may leave are made inert line by line.
        return string.Join('\n', Encoding.UTF8.GetString(buffer.ToArray()).Split('\n').Select(ConsoleText.Inert));
    }

    /// <summary>A Scriban variable name for a template variable: letters, digits and '_' (others become '_'), lower case.</summary>
    private static string ColumnOf(string name)
    {
        var column = NotIdentifier().Replace(name, "_").Trim('_').ToLowerInvariant();
        return column.Length == 0 || char.IsDigit(column[0]) ? "column_" + column : column;
    }

    private static string When(long? unixSeconds) => unixSeconds is { } seconds
        ? DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
        : "(not given)";
}
