using BatchVideo.HeyGen.Templates;
using BatchVideo.Scripts;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns.Types;

/// <summary>
/// A <c>template</c> campaign's HeyGen template as <c>GET /v3/templates/{id}</c> returned it once for the run, checked
/// against <c>Campaigns:&lt;name&gt;:Variables</c>, with one renderer per mapped variable. It renders a row into the
/// variables' values and the scenes' scripts with those values in place, or the problem that rejects the row.
/// </summary>
public sealed class TemplateBinding
{
    private readonly (TemplateVariable Variable, ScriptRenderer Renderer)[] mapped;
    private readonly ScriptRenderer? title;

    private TemplateBinding(TemplateDetail template, IReadOnlyList<TemplateScene> scenes, (TemplateVariable, ScriptRenderer)[] mapped, ScriptRenderer? title)
    {
        Template = template;
        Scenes = scenes;
        this.mapped = mapped;
        this.title = title;
    }

    /// <summary>The template as read for this run.</summary>
    public TemplateDetail Template { get; }

    /// <summary>The scenes a video of the campaign renders, in order (<c>SceneIds</c>, or all in the template's order).</summary>
    public IReadOnlyList<TemplateScene> Scenes { get; }

    /// <summary>
    /// Every reason the campaign cannot use <paramref name="template"/>, each naming the variable: a mapping of a variable
    /// the template lacks, a text variable a rendered scene uses with no mapping (HeyGen would leave its literal
    /// <c>{{name}}</c>), a fixed value of the wrong kind (a URL for a voice, a media value not <c>https://</c>), a scene
    /// <c>SceneIds</c> names that the template lacks. Empty: it fits.
    /// </summary>
    public static IReadOnlyList<string> Problems(string campaignName, CampaignOptions campaign, TemplateDetail template)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(template);
        var at = $"Campaigns:{campaignName}";
        var problems = new List<string>();
        var variables = template.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var (name, text) in campaign.Variables)
        {
            if (!variables.TryGetValue(name, out var variable))
            {
                problems.Add($"{at}:Variables:{name} names no variable of template {template.Id} ({template.Name}); its variables are {string.Join(", ", variables.Keys)}.");
            }
            else if (TemplateVariable.ValueProperty(variable.Type) is null)
            {
                problems.Add($"{at}:Variables:{name}: template {template.Id}'s variable '{name}' has type '{variable.Type ?? "(none)"}', whose value BatchVideo cannot set; remove the mapping.");
            }
            else if (!text.Contains("{{", StringComparison.Ordinal) && Misfit(variable, text) is { } misfit)
            {
                problems.Add($"{at}:Variables:{name}: '{text}' does not fit the {variable.Type} variable '{name}': {misfit}.");
            }
        }

        var known = (template.Scenes ?? []).ToDictionary(s => s.SceneId, StringComparer.Ordinal);
        foreach (var id in campaign.SceneIds.Where(id => !known.ContainsKey(id)).Distinct(StringComparer.Ordinal))
        {
            problems.Add($"{at}:SceneIds names scene '{id}', which template {template.Id} does not have; its scenes are {string.Join(", ", known.Keys)}.");
        }

        foreach (var (name, scene) in UsedTextVariables(template, ScenesOf(campaign, template), variables))
        {
            if (!variables.ContainsKey(name))
            {
                problems.Add(
                    $"{at}: scene {scene} of template {template.Id} says {{{{{name}}}}}, which is no variable of the template, so HeyGen would speak it as written; fix the template, or leave the scene out with {at}:SceneIds.");
            }
            else if (!campaign.Variables.ContainsKey(name))
            {
                problems.Add(
                    $"{at}:Variables has no entry for template {template.Id}'s text variable '{name}'{(scene is null ? "" : $", used by scene {scene}")}: HeyGen would leave its literal {{{{{name}}}}} in the video. "
                    + $"Map it, e.g. \"{name}\": \"{{{{ {name} }}}}\".");
            }
        }

        return problems;
    }

    /// <summary>The binding of <paramref name="template"/> to the campaign, over a source with <paramref name="headers"/>.</summary>
    /// <exception cref="ConfigurationException">The campaign does not fit the template (every problem of <see cref="Problems"/>).</exception>
    public static TemplateBinding Bind(string campaignName, CampaignOptions campaign, TemplateDetail template, IReadOnlyList<string> headers)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(template);
        if (Problems(campaignName, campaign, template) is { Count: > 0 } problems)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, problems));
        }

        var accepted = campaign.AcceptProblems.ToHashSet(StringComparer.OrdinalIgnoreCase);
        ScriptRenderer RendererOf(string text, string path) =>
            new(ScriptTemplate.Parse(text, path), null, headers, campaign.OptionalColumns, campaign.Defaults) { AcceptedProblems = accepted };
        var renderers = campaign.Variables
            .Select(pair => (template.Variable(pair.Key)!, RendererOf(pair.Value, $"Campaigns:{campaignName}:Variables:{pair.Key}")))
            .ToArray();
        var titleRenderer = campaign.TitleTemplate is { Length: > 0 } text ? RendererOf(text, $"Campaigns:{campaignName}:TitleTemplate") : null;
        return new TemplateBinding(template, ScenesOf(campaign, template), renderers, titleRenderer);
    }

    /// <summary>The variable <paramref name="name"/> of the template (a mapped one).</summary>
    public TemplateVariable Variable(string name) =>
        Template.Variable(name) ?? throw new ArgumentException($"Template {Template.Id} has no variable '{name}'.", nameof(name));

    /// <summary>
    /// The row's value of every mapped variable and the scenes' scripts with the text values in place, or the first
    /// problem: an empty cell (unless <c>OptionalColumns</c> or <c>Defaults</c> allow it), a text value empty after
    /// trimming or still holding <c>{{</c>, a media value that is not an <c>https://</c> URL, a URL for a voice or look.
    /// </summary>
    public RenderResult Render(IReadOnlyList<string> values, string key, string campaign)
    {
        var rendered = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, renderer) in mapped)
        {
            var result = renderer.Render(values, key, campaign);
            if (result.Problem is { } problem)
            {
                return RenderResult.Rejected(problem.Code == "empty_script"
                    ? new RenderProblem(null, $"template variable '{variable.Name}' renders empty") { Code = "empty_variable" }
                    : problem with { Reason = $"template variable '{variable.Name}': {problem.Reason}" });
            }

            var value = result.Script!;
            if (variable.Type == TemplateVariable.Text && value.Contains("{{", StringComparison.Ordinal))
            {
                return RenderResult.Rejected(new RenderProblem(
                    null, $"template variable '{variable.Name}' still holds '{{{{' after rendering ({CellQuote.Of(value)}): HeyGen would speak or show it as written")
                {
                    Code = "unfilled_placeholder",
                });
            }

            if (Misfit(variable, value) is { } misfit)
            {
                return RenderResult.Rejected(new RenderProblem(null, $"template variable '{variable.Name}' is {CellQuote.Of(value)}: {misfit}") { Code = "variable_misfit" });
            }

            rendered[variable.Name] = value;
        }

        string? titleText = null;
        if (title?.Render(values, key, campaign) is { } titled)
        {
            if (titled.Problem is { } problem)
            {
                return RenderResult.Rejected(problem with { Reason = "title: " + problem.Reason });
            }

            titleText = titled.Script;
        }

        return RenderResult.Ok(Spoken(rendered), titleText) with { TemplateValues = rendered };
    }

    /// <summary>
    /// What the video says: the rendered scenes' scripts, one a paragraph, each <c>{{name}}</c> of a mapped text variable
    /// replaced by its value (HeyGen's own substitution; an unmapped one stays, as HeyGen leaves it).
    /// </summary>
    public string Spoken(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = values.Where(p => Template.Variable(p.Key)?.Type == TemplateVariable.Text).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        // One paragraph a scene (TemplateScripts.Spoken joins them with a space), so the preview shows the scenes apart.
        return string.Join("\n\n", Scenes.Where(s => !string.IsNullOrWhiteSpace(s.Script)).Select(s => TemplateScripts.Fill(s.Script, text)));
    }

    /// <summary>Why <paramref name="value"/> cannot be the value of <paramref name="variable"/>; null when it can.</summary>
    private static string? Misfit(TemplateVariable variable, string value) => variable.Type switch
    {
        TemplateVariable.Image or TemplateVariable.Video or TemplateVariable.Audio
            when !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            => $"an {variable.Type} variable takes an https:// URL HeyGen can fetch",
        TemplateVariable.Voice or TemplateVariable.Character when value.Contains("://", StringComparison.Ordinal)
            => $"a {variable.Type} variable takes a HeyGen {(variable.Type == TemplateVariable.Voice ? "voice" : "avatar look")} id, not a URL",
        _ => null,
    };

    /// <summary>The scenes a video renders (the ones <c>SceneIds</c> names that the template has; all when it names none).</summary>
    private static IReadOnlyList<TemplateScene> ScenesOf(CampaignOptions campaign, TemplateDetail template)
    {
        var known = (template.Scenes ?? []).Select(s => s.SceneId).ToHashSet(StringComparer.Ordinal);
        return TemplateScripts.Chosen(template, campaign.SceneIds.Count == 0 ? null : [.. campaign.SceneIds.Where(known.Contains)]);
    }

    /// <summary>
    /// The text variables the rendered scenes use (<see cref="TemplateScripts.TextVariablesUsed"/>: each scene's list and
    /// the placeholders in its script), each with the first scene that uses it. When HeyGen lists no scene's variables,
    /// every text variable counts as used: one left out could be on screen, the reading that costs the user a video.
    /// </summary>
    private static IEnumerable<(string Name, string? Scene)> UsedTextVariables(
        TemplateDetail template, IReadOnlyList<TemplateScene> scenes, Dictionary<string, TemplateVariable> variables)
    {
        var used = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var scene in scenes)
        {
            foreach (var name in TemplateScripts.TextVariablesUsed(template, [scene]))
            {
                used.TryAdd(name, scene.SceneId);
            }
        }

        if (!(template.Scenes ?? []).Any(s => s.Variables is not null))
        {
            foreach (var variable in variables.Values.Where(v => v.Type == TemplateVariable.Text))
            {
                used.TryAdd(variable.Name, null);
            }
        }

        return used.Select(pair => (pair.Key, pair.Value));
    }
}
