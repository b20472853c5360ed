using System.Text.RegularExpressions;

namespace BatchVideo.HeyGen.Templates;

/// <summary>
/// A template's scene scripts as HeyGen returns them, "with variable placeholders unreplaced" (<c>{{name}}</c>,
/// heygen-cli gen/template.go <c>TemplateGet</c>): which variables they name, and what they say once filled. A
/// placeholder with no value stays as it is, as HeyGen leaves a text variable left out of a generate.
/// </summary>
public static partial class TemplateScripts
{
    // The editor's form: the name between double braces, no spaces (docs.heygen.com/docs/replace-textvoice-in-template).
    [GeneratedRegex(@"\{\{([^{}\s]+)\}\}")]
    private static partial Regex Placeholder();

    /// <summary>The names of the placeholders in <paramref name="script"/>, each once, in order of first appearance.</summary>
    public static IReadOnlyList<string> Placeholders(string? script) =>
        script is null ? [] : [.. Placeholder().Matches(script).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary><paramref name="script"/> with each placeholder that has a value in <paramref name="values"/> replaced; the others left literal.</summary>
    public static string Fill(string? script, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return script is null ? "" : Placeholder().Replace(script, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
    }

    /// <summary>
    /// The scenes a generate renders: <paramref name="sceneIds"/> in their order (repeats kept), or all in template
    /// order when null.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A scene id the template does not have (the API "cannot create new ones").</exception>
    public static IReadOnlyList<TemplateScene> Chosen(TemplateDetail template, IReadOnlyList<string>? sceneIds)
    {
        ArgumentNullException.ThrowIfNull(template);
        var scenes = template.Scenes ?? [];
        if (sceneIds is null)
        {
            return scenes;
        }

        return [.. sceneIds.Select(id => scenes.FirstOrDefault(s => s.SceneId == id)
            ?? throw new KeyNotFoundException($"Template {template.Id} has no scene '{id}'."))];
    }

    /// <summary>
    /// The text variables <paramref name="scenes"/> use, each once: those a scene lists with <c>variable_type</c> text,
    /// and the placeholders its script names, unless the template defines them as another type (a name the template
    /// lacks is kept: it would stay literal in the video). HeyGen may leave a scene's list empty.
    /// </summary>
    public static IReadOnlyList<string> TextVariablesUsed(TemplateDetail template, IEnumerable<TemplateScene> scenes)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(scenes);
        var used = new List<string>();
        foreach (var scene in scenes)
        {
            var listed = (scene.Variables ?? []).Where(v => v.VariableType == TemplateVariable.Text).Select(v => v.Name);
            var named = Placeholders(scene.Script).Where(name => template.Variable(name)?.Type is null or TemplateVariable.Text);
            used.AddRange(listed.Concat(named).Where(name => !used.Contains(name, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal));
        }

        return used;
    }

    /// <summary>What the chosen scenes say with <paramref name="values"/> in place, scene scripts joined by a space.</summary>
    public static string Spoken(IEnumerable<TemplateScene> scenes, IReadOnlyDictionary<string, string> values) =>
        string.Join(' ', scenes.Where(s => s.Script is not null).Select(s => Fill(s.Script, values)));
}
