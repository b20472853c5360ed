using BatchVideo.Sources;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace BatchVideo.Scripts;

/// <summary>Renders a campaign's script and title templates for one row, in Scriban's sandbox.</summary>
public sealed class ScriptRenderer
{
    /// <summary>HeyGen's documented maximum script length for POST /v3/videos.</summary>
    public const int MaxScriptLength = 5000;

    private readonly ScriptTemplate script;
    private readonly ScriptTemplate? title;
    private readonly HashSet<string> optionalColumns;
    private readonly HashSet<string> coalesced;
    private readonly Dictionary<string, string> defaults;
    private readonly string[] identifiers;
    private readonly string[] headers;
    private readonly int maxLength;

    // Scriban's builtin functions, made once: a fresh set for every render cost more than the render
    // itself. Read-only, so one row's template cannot change what the next row's sees.
    private readonly ScriptObject builtins = ReadOnlyBuiltins();

    /// <param name="defaults">Values for empty cells, by column or variable name (<c>Campaigns:&lt;name&gt;:Defaults</c>).</param>
    /// <param name="maxLength">The longest rendered text HeyGen takes: a script's 5,000 characters, a Video Agent prompt's 10,000.</param>
    public ScriptRenderer(ScriptTemplate script, ScriptTemplate? title, IReadOnlyList<string> headers, IEnumerable<string> optionalColumns, IReadOnlyDictionary<string, string>? defaults = null, int maxLength = MaxScriptLength)
    {
        this.maxLength = maxLength;
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(headers);
        this.script = script;
        this.title = title;
        this.headers = [.. headers];
        identifiers = [.. headers.Select(RowVariables.ToIdentifier)];
        // A template that handles an empty value itself (object.default, == "", ??) needs no listing as optional.
        this.optionalColumns = new HashSet<string>(
            optionalColumns.Select(RowVariables.ToIdentifier).Concat(script.HandlesEmpty).Concat(title?.HandlesEmpty ?? []),
            StringComparer.Ordinal);
        coalesced = new HashSet<string>(script.Coalesced.Concat(title?.Coalesced ?? []), StringComparer.Ordinal);
        // Found by variable (first_name) or by header as written (First Name, 名).
        this.defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in defaults ?? new Dictionary<string, string>())
        {
            if (!CellText.IsBlank(value ?? ""))
            {
                this.defaults.TryAdd(RowVariables.ToIdentifier(name), value!);
                this.defaults.TryAdd(CellText.Clean(name), value!);
            }
        }
    }

    /// <summary>
    /// Problem codes of <see cref="SuspiciousValue"/> the campaign accepts (<c>Campaigns:&lt;name&gt;:AcceptProblems</c>):
    /// its data is known to hold such values on purpose, so they are spoken as they are.
    /// </summary>
    public IReadOnlySet<string> AcceptedProblems { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The variable a column is read as in a template (<c>First Name</c> → <c>first_name</c>).</summary>
    public static string VariableOf(string header) => RowVariables.ToIdentifier(header);

    /// <summary>Variables the templates read that no column provides: a start-up error.</summary>
    public IReadOnlyList<string> UnknownVariables()
    {
        var known = new HashSet<string>(identifiers, StringComparer.Ordinal) { "row", "key", "campaign" };
        var builtins = new TemplateContext().BuiltinObject;
        return
        [
            .. script.Variables.Concat(title?.Variables ?? [])
                .Where(v => !known.Contains(v) && !builtins.ContainsKey(v))
                .Distinct()
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// Variables the templates read that two or more columns map to (<c>First Name</c> and <c>first_name</c> are
    /// both <c>first_name</c>): which one a row would speak is a guess, so it is a start-up error. Each with its columns.
    /// </summary>
    public IReadOnlyList<(string Variable, IReadOnlyList<string> Columns)> ClashingVariables()
    {
        var read = script.Variables.Concat(title?.Variables ?? []).ToHashSet(StringComparer.Ordinal);
        return
        [
            .. identifiers.Select((variable, i) => (variable, header: headers[i]))
                .Where(c => c.variable.Length > 0 && read.Contains(c.variable))
                .GroupBy(c => c.variable, StringComparer.Ordinal)
                .Where(g => g.Count() > 1)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(c => c.header)])),
        ];
    }

    public RenderResult Render(IReadOnlyList<string> values, string key, string campaign)
    {
        var scriptText = RenderOne(script, values, key, campaign, out var problem);
        if (problem is not null)
        {
            return RenderResult.Rejected(problem);
        }

        scriptText = scriptText!.Trim();
        if (scriptText.Length == 0)
        {
            return RenderResult.Rejected(new RenderProblem(null, "the script renders empty") { Code = "empty_script" });
        }

        // Counted in Unicode code points, as text editors and JSON Schema's maxLength count characters:
        // an emoji is one, not the two UTF-16 units string.Length sees. HeyGen does not document its unit.
        var characters = scriptText.Length > maxLength ? scriptText.EnumerateRunes().Count() : scriptText.Length;
        if (characters > maxLength)
        {
            return RenderResult.Rejected(new RenderProblem(
                null, $"the script is {characters} characters (Unicode code points, as a text editor counts them); HeyGen accepts at most {maxLength}")
            {
                Code = "script_too_long",
            });
        }

        string? titleText = null;
        if (title is not null)
        {
            titleText = RenderOne(title, values, key, campaign, out problem)?.Trim();
            if (problem is not null)
            {
                return RenderResult.Rejected(problem with { Reason = "title: " + problem.Reason });
            }
        }

        return RenderResult.Ok(scriptText, titleText);
    }

    private static ScriptObject ReadOnlyBuiltins()
    {
        var builtins = TemplateContext.GetDefaultBuiltinObject();
        foreach (var value in builtins.Values.OfType<ScriptObject>())
        {
            value.IsReadOnly = true;
        }

        builtins.IsReadOnly = true;
        return builtins;
    }

    private string? RenderOne(ScriptTemplate template, IReadOnlyList<string> values, string key, string campaign, out RenderProblem? problem)
    {
        var row = new RowVariables(identifiers, headers, values, optionalColumns, defaults) { Coalesced = coalesced };
        var context = new TemplateContext(builtins)
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = 1000,
            RecursiveLimit = 20,
            LimitToString = 10_000,
            OutputLimit = maxLength * 4,
            // Only the row's strings and Scriban's builtins are reachable: no .NET object is imported,
            // and no template loader exists, so include/import cannot touch the file system.
            TemplateLoader = null,
        };
        var extras = new ScriptObject();
        if (!row.ContainsKey("key"))
        {
            extras.SetValue("key", key, readOnly: true);
        }

        if (!row.ContainsKey("campaign"))
        {
            extras.SetValue("campaign", campaign, readOnly: true);
        }

        context.PushGlobal(extras);
        context.PushGlobal(row);
        try
        {
            var text = template.Template.Render(context);
            if (row.EmptyReads.Count > 0)
            {
                var column = headers[Array.IndexOf(identifiers, row.EmptyReads[0])];
                var variable = row.EmptyReads[0];
                var what = row.Unspeakable.TryGetValue(variable, out var written)
                    ? $"has no letter or digit to speak ({CellQuote.Of(written)})"
                    : "is empty";
                problem = new RenderProblem(
                    column,
                    $"column '{column}' {what} but {Path.GetFileName(template.Path)} uses it; to allow that, list it in Campaigns:{campaign}:OptionalColumns, "
                    + $"give it a value in Campaigns:{campaign}:Defaults (\"{variable}\": \"there\"), or write {{{{ {variable} | object.default \"there\" }}}} in the template")
                {
                    Code = "empty_column",
                };
                return null;
            }

            if (row.SuspiciousReads.FirstOrDefault(r => !AcceptedProblems.Contains(r.Code)) is { } suspicious)
            {
                problem = new RenderProblem(
                    suspicious.Column,
                    $"column '{suspicious.Column}' {CellQuote.Of(suspicious.Written)} {suspicious.Why}; if such values are right for this campaign, accept them with Campaigns:{campaign}:AcceptProblems [\"{suspicious.Code}\"]")
                {
                    Code = suspicious.Code,
                };
                return null;
            }

            problem = null;
            return text;
        }
        catch (ScriptRuntimeException e)
        {
            problem = new RenderProblem(null, $"{Path.GetFileName(template.Path)}:{e.Span.Start.Line + 1}:{e.Span.Start.Column + 1}: {e.OriginalMessage}")
            {
                Code = "template_error",
            };
            return null;
        }
    }
}

/// <summary>Why a row's script could not be rendered; Column is set when one column is to blame.</summary>
public sealed record RenderProblem(string? Column, string Reason)
{
    /// <summary>A stable word for the kind of problem, for grouping in reports (<c>empty_column</c>, <c>script_too_long</c>, …).</summary>
    public string Code { get; init; } = "render_failed";
}

/// <summary>A rendered script and title, or the problem that rejects the row.</summary>
public sealed record RenderResult(string? Script, string? Title, RenderProblem? Problem)
{
    public static RenderResult Ok(string script, string? title) => new(script, title, null);

    /// <summary>The row's own look, voice, background… from the campaign's choice columns; null: none mapped.</summary>
    public Campaigns.RowChoices? Choices { get; init; }

    /// <summary>
    /// The script as SPOKEN when it differs from <see cref="Script"/> (respellings, <c>Names.SpokenText</c>); null: the
    /// same. <see cref="Script"/> and <see cref="Title"/> stay as the CRM spells them, for what is shown.
    /// </summary>
    public string? Spoken { get; init; }
    /// <summary>A <c>template</c> campaign's row: each mapped template variable's rendered value; null for the other types.</summary>
    public IReadOnlyDictionary<string, string>? TemplateValues { get; init; }

    public static RenderResult Rejected(RenderProblem problem) => new(null, null, problem);
}
