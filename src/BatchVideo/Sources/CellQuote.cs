using System.Globalization;
using System.Text;

namespace BatchVideo.Sources;

/// <summary>A cell's value as written, for a message: quoted, invisible characters shown as <c>U+XXXX</c>, long values cut.</summary>
public static class CellQuote
{
    private const int MaxShown = 80;

    public static string Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder("'");
        var shown = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (shown++ == MaxShown)
            {
                text.Append('…');
                break;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format || (Rune.IsWhiteSpace(rune) && rune.Value != ' '))
            {
                text.Append(CultureInfo.InvariantCulture, $"<U+{rune.Value:X4}>");
            }
            else
            {
                text.Append(rune.ToString());
            }
        }

        return text.Append('\'').ToString();
    }
}
