using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace BatchVideo.Scripts;

/// <summary>A Scriban template parsed once per run, with the file it came from for error messages.</summary>
public sealed class ScriptTemplate
{
    private ScriptTemplate(string path, Template template)
    {
        Path = path;
        Template = template;
    }

    public string Path { get; }

    internal Template Template { get; }

    public static ScriptTemplate Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new TemplateException($"Template file '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static ScriptTemplate Parse(string text, string path)
    {
        var template = Template.Parse(text, path, new ParserOptions { ExpressionDepthLimit = 64 });
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            var where = first.Span;
            throw new TemplateException(
                $"Template syntax error in {path}:{where.Start.Line + 1}:{where.Start.Column + 1}: {first.Message}");
        }

        // The renderer has no template loader (a template cannot read files), so an include fails on
        // every row: that is a broken template, to be fixed before anything runs.
        var includes = new VariableCollector();
        includes.Visit(template.Page);
        if (includes.Include is { } at)
        {
            throw new TemplateException(
                $"Template {path}:{at.Start.Line + 1}:{at.Start.Column + 1}: 'include' reads another template file, which BatchVideo's sandboxed renderer does not allow, so no row could render; put that text in this template instead.");
        }

        return new ScriptTemplate(path, template);
    }

    /// <summary>Names of the global variables the template reads (loop and assigned locals excluded).</summary>
    public IReadOnlyCollection<string> Variables
    {
        get
        {
            var visitor = new VariableCollector();
            visitor.Visit(Template.Page);
            visitor.Read.ExceptWith(visitor.Written);
            return visitor.Read;
        }
    }

    /// <summary>
    /// Variables whose empty value the template handles itself, so an empty cell is no reason to reject
    /// the row: piped into <c>object.default</c>, compared with <c>""</c>, or the
    /// left side of <c>??</c> (which an empty cell reaches as null, as a mail-merge fallback expects).
    /// </summary>
    public IReadOnlyCollection<string> HandlesEmpty
    {
        get
        {
            var visitor = new VariableCollector();
            visitor.Visit(Template.Page);
            return visitor.HandlesEmpty;
        }
    }

    /// <summary>Variables used on the left of <c>??</c>: an empty cell reaches them as null.</summary>
    public IReadOnlyCollection<string> Coalesced
    {
        get
        {
            var visitor = new VariableCollector();
            visitor.Visit(Template.Page);
            return visitor.Coalesced;
        }
    }

    /// <summary>Column names the template reads as <c>row["Column Name"]</c>, with a literal name.</summary>
    public IReadOnlyCollection<string> RowColumns
    {
        get
        {
            var visitor = new VariableCollector();
            visitor.Visit(Template.Page);
            return visitor.RowColumns;
        }
    }

    private sealed class VariableCollector : ScriptVisitor
    {
        public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

        public HashSet<string> RowColumns { get; } = new(StringComparer.Ordinal);

        public HashSet<string> HandlesEmpty { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Coalesced { get; } = new(StringComparer.Ordinal);

        public SourceSpan? Include { get; private set; }

        public override void Visit(ScriptPipeCall node)
        {
            if (node.From is ScriptVariableGlobal variable && node.To is ScriptFunctionCall { Target: ScriptMemberExpression { Target: ScriptVariableGlobal { Name: "object" }, Member: { } member } }
                && member.ToString() == "default")
            {
                HandlesEmpty.Add(variable.Name);
            }

            base.Visit(node);
        }

        public override void Visit(ScriptBinaryExpression node)
        {
            if (node.Operator is ScriptBinaryOperator.CompareEqual or ScriptBinaryOperator.CompareNotEqual)
            {
                if (node.Left is ScriptVariableGlobal left && node.Right is ScriptLiteral { Value: "" })
                {
                    HandlesEmpty.Add(left.Name);
                }
                else if (node.Right is ScriptVariableGlobal right && node.Left is ScriptLiteral { Value: "" })
                {
                    HandlesEmpty.Add(right.Name);
                }
            }
            else if (node.Operator == ScriptBinaryOperator.EmptyCoalescing && node.Left is ScriptVariableGlobal coalesced)
            {
                HandlesEmpty.Add(coalesced.Name);
                Coalesced.Add(coalesced.Name);
            }

            base.Visit(node);
        }

        public override void Visit(ScriptFunctionCall node)
        {
            if (node.Target is ScriptVariableGlobal { Name: "include" } include)
            {
                Include ??= include.Span;
            }

            base.Visit(node);
        }

        public override void Visit(ScriptIndexerExpression node)
        {
            if (node.Target is ScriptVariableGlobal { Name: "row" } && node.Index is ScriptLiteral { Value: string column })
            {
                RowColumns.Add(column);
            }

            base.Visit(node);
        }

        public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

        public override void Visit(ScriptVariableGlobal node)
        {
            Read.Add(node.Name);
            base.Visit(node);
        }

        // In "string.upcase" only "string" is a variable; the member name is not.
        public override void Visit(ScriptMemberExpression node) => Visit(node.Target);

        public override void Visit(ScriptAssignExpression node)
        {
            if (node.Target is ScriptVariableGlobal target)
            {
                Written.Add(target.Name);
            }

            base.Visit(node);
        }

        // Inside a loop, Scriban's own loop object (for.index, for.first, for.last, while.index,
        // tablerow.col…) is part of the language, not a column.
        public override void Visit(ScriptForStatement node)
        {
            if (node.Variable is ScriptVariable variable)
            {
                Written.Add(variable.Name);
            }

            Written.Add(node is ScriptTableRowStatement ? "tablerow" : "for");
            base.Visit(node);
        }

        public override void Visit(ScriptWhileStatement node)
        {
            Written.Add("while");
            base.Visit(node);
        }
    }
}

/// <summary>A template that cannot be used: a fatal start-up error with file, line and column.</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message)
        : base(message)
    {
    }

    public TemplateException()
    {
    }

    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
