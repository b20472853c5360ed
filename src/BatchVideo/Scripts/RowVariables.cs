using Scriban;
using Scriban.Parsing;
using BatchVideo.Sources;
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
    public RowVariables(IReadOnlyList<string> identifiers, IReadOnlyList<string> headers, IReadOnlyList<string> values, HashSet<string> optional, IReadOnlyDictionary<string, string>? defaults = null)
        : base(identifiers.Count + 1, autoImportStaticsFromThisType: false)
    {
        this.optional = optional;
        var byHeader = new HeaderRow(this, headers.Count);
        for (var i = 0; i < identifiers.Count; i++)
        {
            // Rendered as read by eye: a no-break or zero-width space alone is an empty cell, not a name, and
            // so is a cell with no letter or digit to speak (emoji, symbols, control characters).
            var written = i < values.Count ? values[i] : "";
            var value = CellText.Speakable(written);
            if (value.Length == 0 && !CellText.IsBlank(written) && identifiers[i].Length > 0)
            {
                Unspeakable.TryAdd(identifiers[i], written);
            }

            if (value.Length == 0 && defaults is not null
                && (defaults.TryGetValue(identifiers[i], out var fallback) || defaults.TryGetValue(headers[i], out fallback)))
            {
                value = fallback; // Campaigns:<name>:Defaults, the mail-merge fallback ("Hi there")
            }
            else if (value.Length > 0)
            {
                cells[identifiers[i]] = (headers[i], written, value);
                cells.TryAdd(headers[i], (headers[i], written, value));
            }

            // A header with no letter a variable can hold (名, or an empty cell) is read as row["名"] only.
            if (identifiers[i].Length > 0)
            {
                SetValue(identifiers[i], value, readOnly: true);
            }

            if (headers[i].Length > 0)
            {
                byHeader.SetValue(headers[i], value, readOnly: true);
            }
        }

        SetValue("row", byHeader, readOnly: true);
    }

    public List<string> EmptyReads { get; } = [];

    /// <summary>Values read that are not what they look like (<see cref="SuspiciousValue"/>), in the order read.</summary>
    public List<SuspiciousRead> SuspiciousReads { get; } = [];

    // The cells a template may read from the row (by variable and by header), for the suspicious-value check.
    private readonly Dictionary<string, (string Column, string Written, string Value)> cells = new(StringComparer.Ordinal);

    /// <summary>Variables whose cell holds something, but nothing speakable (<see cref="CellText.Speakable"/>), with the cell as written.</summary>
    public Dictionary<string, string> Unspeakable { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables a template tests with <c>??</c>: an empty cell is null to them, so the fallback applies.</summary>
    public IReadOnlySet<string>? Coalesced { get; init; }

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        var found = base.TryGetValue(context, span, member, out value);
        if (found && value is string { Length: > 0 })
        {
            Check(member);
        }

        if (found && value is string { Length: 0 })
        {
            if (Coalesced?.Contains(member) == true)
            {
                value = null;
                return true;
            }

            if (!optional.Contains(member) && !EmptyReads.Contains(member))
            {
                EmptyReads.Add(member);
            }
        }

        return found;
    }

    private void Check(string name)
    {
        if (cells.TryGetValue(name, out var cell) && !SuspiciousReads.Exists(r => r.Column == cell.Column)
            && SuspiciousValue.Find(cell.Value) is { } found)
        {
            SuspiciousReads.Add(new SuspiciousRead(cell.Column, cell.Written, found.Code, found.Why));
        }
    }

    /// <summary><c>row["First Name"]</c>: the same cells by header, checked the same way when read.</summary>
    private sealed class HeaderRow(RowVariables row, int capacity) : ScriptObject(capacity, autoImportStaticsFromThisType: false)
    {
        public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
        {
            var found = base.TryGetValue(context, span, member, out value);
            if (found && value is string { Length: > 0 })
            {
                row.Check(member);
            }

            return found;
        }
    }

    /// <summary>The identifier a header is reachable under in a template.</summary>
    public static string ToIdentifier(string header)
    {
        var chars = new char[header.Length * 2 + 1];
        var length = 0;
        var lastWasUnderscore = false;
        // Accents go, so a French export's Prénom is prenom: the letter a reader would type.
        var plain = new string([.. header.Trim().Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)]);
        foreach (var c in plain)
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

/// <summary>A value a template read that is not what it looks like: its column, the cell as written, the problem code and why.</summary>
internal sealed record SuspiciousRead(string Column, string Written, string Code, string Why);
