using System.Globalization;
using System.Text;

namespace BatchVideo.Names;

/// <summary>
/// How likely a voice is to say a name wrong, so the listening page puts those first: letters beyond ASCII (Zoë,
/// Nguyễn, 李), more than one script in one name, a name few rows share, a long one. A score and its reasons, not a verdict.
/// </summary>
public static class NameSuspicion
{
    /// <summary>The score (higher: hear it first) and the reasons, in words, for the page.</summary>
    /// <param name="rows">How many rows carry the name.</param>
    public static (int Score, IReadOnlyList<string> Reasons) Of(string name, long rows)
    {
        ArgumentNullException.ThrowIfNull(name);
        var reasons = new List<string>();
        var score = 0;
        if (name.Any(c => c > '\u007f'))
        {
            score += 3;
            reasons.Add("non-ASCII letters");
        }

        if (Scripts(name) > 1)
        {
            score += 3;
            reasons.Add("mixed scripts");
        }

        if (rows <= 1)
        {
            score += 2;
            reasons.Add("rare (one row)");
        }

        var letters = new StringInfo(name).LengthInTextElements;
        if (letters > 12)
        {
            score += letters > 20 ? 2 : 1;
            reasons.Add("long");
        }

        if (name.Any(c => char.IsDigit(c) || (char.IsPunctuation(c) && c is not ('-' or '\'' or '.' or '’'))))
        {
            score += 1;
            reasons.Add("digits or symbols");
        }

        return (score, reasons);
    }

    /// <summary>How many writing systems the name's letters come from (Latin, Cyrillic, Greek, CJK, …), by Unicode block.</summary>
    private static int Scripts(string name)
    {
        var blocks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rune in name.EnumerateRunes().Where(Rune.IsLetter))
        {
            blocks.Add(rune.Value switch
            {
                <= 0x024F or (>= 0x1E00 and <= 0x1EFF) => "latin",
                >= 0x0370 and <= 0x03FF => "greek",
                >= 0x0400 and <= 0x052F => "cyrillic",
                >= 0x0590 and <= 0x05FF => "hebrew",
                >= 0x0600 and <= 0x06FF => "arabic",
                >= 0x0900 and <= 0x0DFF => "indic",
                >= 0x0E00 and <= 0x0E7F => "thai",
                // Japanese names mix kana and kanji by nature: one script here.
                >= 0x3040 and <= 0x30FF => "cjk",
                >= 0xAC00 and <= 0xD7AF => "hangul",
                >= 0x3400 and <= 0x9FFF => "cjk",
                _ => "other",
            });
        }

        return blocks.Count;
    }
}
