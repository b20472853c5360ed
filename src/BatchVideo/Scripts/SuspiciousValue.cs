using System.Text;
using System.Text.RegularExpressions;
using BatchVideo.Sources;

namespace BatchVideo.Scripts;

/// <summary>
/// Cell values that are not what they look like, found before a template speaks them (each its own
/// problem code; a campaign may accept a code with <c>Campaigns:&lt;name&gt;:AcceptProblems</c>):
/// another mail tool's unfilled merge tag, a spreadsheet formula, and text that went through the wrong
/// encoding once and came back as valid but garbled UTF-8.
/// </summary>
public static partial class SuspiciousValue
{
    /// <summary>Another mail tool's placeholder left unfilled: <c>{{first_name}}</c>, <c>*|FNAME|*</c>, <c>[First Name]</c>, <c>%FIRSTNAME%</c>, <c>{!Account.Name}</c>.</summary>
    public const string MergeTag = "merge_tag";

    /// <summary>A value a spreadsheet would evaluate: <c>=HYPERLINK(…)</c>, <c>+cmd|…</c>, <c>@SUM(…)</c> (OWASP's CSV injection).</summary>
    public const string Formula = "formula";

    /// <summary>UTF-8 read as Windows-1252 and saved as UTF-8 again: <c>RenÃ©e</c>, <c>Oâ€™Brien</c>.</summary>
    public const string DoubleEncoded = "double_encoded";

    /// <summary>Every code, for validating <c>AcceptProblems</c>.</summary>
    public static IReadOnlyList<string> Codes { get; } = [MergeTag, Formula, DoubleEncoded];

    // Windows-1252's characters for bytes 0x80-0x9F (the bytes it leaves undefined read as themselves,
    // as .NET and most tools do): what UTF-8's continuation bytes become when read in that encoding.
    private const string Cp1252High = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

    // After a leading + or -: a function call, DDE's pipe, a sheet reference, an operator or a string.
    private static readonly System.Buffers.SearchValues<char> FormulaSigns = System.Buffers.SearchValues.Create("(|!=*^&+\"");

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>The problem code and why, for a value (as it would be spoken); null when it looks like what it is.</summary>
    public static (string Code, string Why)? Find(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (MergeTags().Match(value) is { Success: true } tag)
        {
            return (MergeTag, $"holds another mail tool's unfilled merge tag ('{tag.Value}') instead of a value; fill it in where the list came from, or clear it so the row is empty there");
        }

        if (IsFormula(value))
        {
            return (Formula, "starts like a spreadsheet formula, which is no name and would run when the file is opened in Excel or Sheets; correct the value in the CRM");
        }

        if (Redecoded(value) is { } meant)
        {
            return (DoubleEncoded, $"is UTF-8 that was read once as Windows-1252 and saved again (it reads '{meant}'); correct the value, or export again as UTF-8 without opening the file in between");
        }

        return null;
    }

    /// <summary>
    /// True for a value a spreadsheet evaluates: <c>=</c> and anything after it, <c>@</c> before a function,
    /// and <c>+</c>/<c>-</c> before a function, a pipe (DDE), a sheet reference or an operator. A plain
    /// <c>-</c>, a number and a phone number (<c>+49 30 1234-567</c>, <c>-5</c>) are no formulas.
    /// </summary>
    public static bool IsFormula(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.AsSpan().Trim();
        if (text.Length < 2)
        {
            return false;
        }

        var rest = text[1..].Trim();
        return text[0] switch
        {
            '=' => rest.Length > 0,
            '@' => AtFunction().IsMatch(rest) || rest.ContainsAny('|', '!'),
            '+' or '-' => !PhoneOrNumber().IsMatch(rest) && (rest.ContainsAny(FormulaSigns) || CellReference().IsMatch(rest)),
            _ => false,
        };
    }

    /// <summary>What a double-encoded value meant (<c>RenÃ©e</c> → <c>Renée</c>); null when it is not one.</summary>
    public static string? Redecoded(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = new byte[value.Length];
        var high = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            int b = c < 0x80 || (c >= 0xA0 && c <= 0xFF) ? c : Cp1252High.IndexOf(c, StringComparison.Ordinal) is >= 0 and var at ? 0x80 + at : -1;
            if (b < 0)
            {
                return null; // a character Windows-1252 has no byte for: not text that passed through it
            }

            high |= b >= 0x80;
            bytes[i] = (byte)b;
        }

        if (!high)
        {
            return null;
        }

        try
        {
            var meant = StrictUtf8.GetString(bytes);
            return meant != value ? meant : null;
        }
        catch (DecoderFallbackException)
        {
            return null; // Zoë, Müller: real Latin-1 letters are no valid UTF-8 byte sequence
        }
    }

    // Mail tools' placeholder syntaxes: Handlebars/Liquid/HubSpot {{ }} and {% %}, Mailchimp *|FNAME|*,
    // Salesforce {!Contact.FirstName}, Constant Contact/Pardot %FIRSTNAME% and %%FirstName%%, Word and bought
    // lists [First Name] (the whole cell) and «First Name» / <<First Name>>, ${name} and {$name}, {first_name}.
    [GeneratedRegex(
        @"\{\{.*?\}\}|\{%.*?%\}|\*\|[A-Za-z0-9_:\-]+\|\*|\{![A-Za-z_][\w.]*\}|%%?[A-Za-z_][\w.:\-]*%%?|^\s*\[\[?[A-Za-z_][\w .\-]*\]\]?\s*$|«[^»]+»|<<[^<>]+>>|\$\{[\w.]+\}|\{\$[\w.]+\}|\{\s*[A-Za-z_][\w.]*\s*\}",
        RegexOptions.CultureInvariant)]
    private static partial Regex MergeTags();

    [GeneratedRegex(@"^[\d\s().\-/]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneOrNumber();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9._]*\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex AtFunction();

    [GeneratedRegex(@"^\$?[A-Za-z]{1,3}\$?\d+\b", RegexOptions.CultureInvariant)]
    private static partial Regex CellReference();
}
