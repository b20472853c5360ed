using System.Globalization;
using System.Text;

namespace BatchVideo.Cli;

/// <summary>
/// Makes a line inert before it reaches the terminal: a key, a name or a reason from a CSV, a table or HeyGen
/// may carry control characters (an ESC starting a terminal sequence, a line break forging a line of our
/// own, a bidirectional override reordering what is shown). Each is shown as its escape (<c>\u001B</c>), the
/// way the log writes them, so the operator sees that it is there and nothing acts on it.
/// </summary>
internal static class ConsoleText
{
    /// <summary><paramref name="text"/> with every control character and bidirectional control written as <c>\uXXXX</c>.</summary>
    public static string Inert(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(NeedsEscape))
        {
            return text ?? "";
        }

        var inert = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                inert.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                inert.Append(c);
            }
        }

        return inert.ToString();
    }

    // C0 and C1 controls and DEL (char.IsControl), and the Unicode bidirectional embeddings, overrides and isolates.
    private static bool NeedsEscape(char c) => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
