using System.Globalization;

namespace BatchVideo.Sources;

/// <summary>
/// How a cell's text is compared and rendered: without the white space and invisible characters that
/// spreadsheets leave at its edges. Excel and Google Sheets keep no-break spaces (U+00A0) pasted from
/// web pages, zero-width spaces (U+200B) and stray byte order marks (U+FEFF) inside cells; none of them
/// is visible, so a cell holding only those is empty to the reader and must be empty to us.
/// </summary>
public static class CellText
{
    /// <summary>The text without leading and trailing Unicode white space (Zs, tabs, line breaks) and format characters (Cf).</summary>
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

    private static bool IsBlank(char c) =>
        char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
