using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace BatchVideo.Scripts;

/// <summary>
/// The variables a template sees for one row: each column as a plain string, under its header name
/// made into an identifier (<c>First Name</c> becomes <c>first_name</c>), plus <c>row["First Name"]</c>.
/// It notes which variables were read while empty, so "Hi {{ first_name }}," with no first name
/// rejects the row instead of sending "Hi ,".
/// </summary>
internal sealed class RowVariables : ScriptObject
{
    private readonly HashSet<string> optional;

    // No auto-import: ScriptObject would otherwise reflect over this type on every row and offer its
    // static methods (ToIdentifier) to templates as functions.
    public RowVariables(IReadOnlyList<string> identifiers, IReadOnlyList<string> headers, IReadOnlyList<string> values, HashSet<string> optional)
        : base(identifiers.Count + 1, autoImportStaticsFromThisType: false)
    {
        this.optional = optional;
        var byHeader = new ScriptObject(headers.Count);
        for (var i = 0; i < identifiers.Count; i++)
        {
            if (identifiers[i].Length == 0)
            {
                continue; // an empty header cell names nothing a template can read
            }

            var value = i < values.Count ? values[i] : "";
            SetValue(identifiers[i], value, readOnly: true);
            byHeader.SetValue(headers[i], value, readOnly: true);
        }

        SetValue("row", byHeader, readOnly: true);
    }

    public List<string> EmptyReads { get; } = [];

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        var found = base.TryGetValue(context, span, member, out value);
        if (found && value is string { Length: 0 } && !optional.Contains(member) && !EmptyReads.Contains(member))
        {
            EmptyReads.Add(member);
        }

        return found;
    }

    /// <summary>The identifier a header is reachable under in a template.</summary>
    public static string ToIdentifier(string header)
    {
        var chars = new char[header.Length];
        var length = 0;
        var lastWasUnderscore = false;
        foreach (var c in header.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                chars[length++] = char.ToLowerInvariant(c);
                lastWasUnderscore = false;
            }
            else if (!lastWasUnderscore && length > 0)
            {
                chars[length++] = '_';
                lastWasUnderscore = true;
            }
        }

        var name = new string(chars, 0, length).TrimEnd('_');
        return name.Length > 0 && char.IsAsciiDigit(name[0]) ? "_" + name : name;
    }
}
