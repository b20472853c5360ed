using System.Globalization;
using System.Text;

namespace BatchVideo.Sources;

/// <summary>
/// How a cell's text is compared and rendered: without the white space and invisible characters that
/// spreadsheets leave at its edges. Excel and Google Sheets keep no-break spaces (U+00A0) pasted from
/// web pages, zero-width spaces (U+200B) and stray byte order marks (U+FEFF) inside cells; none of them
/// is visible, so a cell holding only those is empty to the reader and must be empty to us. Control
/// characters (NUL padding of fixed-width exports, a Ctrl-Z glued to the last cell) are invisible too.
/// </summary>
public static class CellText
{
    /// <summary>The text without leading and trailing Unicode white space (Zs, tabs, line breaks), format characters (Cf) and control characters (Cc).</summary>
    public static string Clean(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var start = 0;
        var end = value.Length;
        while (start < end && IsBlank(value[start]))
        {
            start++;
        }

        while (end > start && IsBlank(value[end - 1]))
        {
            end--;
        }

        return start == 0 && end == value.Length ? value : value[start..end];
    }

    /// <summary>True when the text is empty once cleaned: spaces, no-break spaces, zero-width spaces only.</summary>
    public static bool IsBlank(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (!IsBlank(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The text as it can be spoken: <see cref="Clean"/>, without the control characters inside it (TAB, CR and
    /// LF stay: a multi-line note is text), and empty when no letter or digit is left: a cell of emoji, symbols
    /// or punctuation only (<c>🎉</c>, <c>???</c>, <c>-</c>) names nobody, and a voice would read nothing or noise.
    /// </summary>
    public static string Speakable(string value)
    {
        var clean = Clean(value);
        if (clean.AsSpan().ContainsAnyInRange('\0', '\u001f') || clean.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
        {
            clean = string.Concat(clean.Where(c => !char.IsControl(c) || c is '\t' or '\r' or '\n'));
        }

        foreach (var rune in clean.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                return clean;
            }
        }

        return "";
    }

    private static bool IsBlank(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
