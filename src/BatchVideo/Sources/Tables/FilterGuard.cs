namespace BatchVideo.Sources.Tables;

/// <summary>
/// Keeps a table campaign's <c>Filter</c> one boolean expression. It is trusted operator configuration, but
/// it is pasted into <c>WHERE pending AND (Filter)</c>, so a parenthesis closed inside it (<c>status =
/// 'active') OR (1=1</c>) would widen the query to the whole table, and a statement separator or a comment
/// would change what runs. The expression is scanned as SQL is: string literals (<c>'it''s'</c>) and quoted
/// names (<c>"a"</c>, <c>[a]</c>, <c>`a`</c>) are skipped whole, so their content never counts.
/// </summary>
public static class FilterGuard
{
    /// <summary>Why <paramref name="filter"/> cannot be used as one condition; null when it can.</summary>
    public static string? Problem(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var depth = 0;
        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            switch (c)
            {
                case '\'' or '"' or '`' or '[':
                    var close = c == '[' ? ']' : c;
                    var end = ClosingQuote(filter, i, close);
                    if (end < 0)
                    {
                        return $"its {(c == '\'' ? "string" : "quoted name")} starting at character {i + 1} is never closed";
                    }

                    i = end;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth < 0)
                    {
                        return $"the ')' at character {i + 1} closes a parenthesis the filter did not open, which would widen the query beyond the filter";
                    }

                    break;
                case ';':
                    return $"it has a statement separator ';' at character {i + 1}";
                case '-' when At(filter, i + 1, '-'):
                case '/' when At(filter, i + 1, '*'):
                    return $"it has a comment ('{filter.Substring(i, 2)}') at character {i + 1}";
                default:
                    break;
            }
        }

        return depth > 0 ? $"{depth} parenthesis{(depth == 1 ? " is" : "es are")} opened and never closed" : null;
    }

    /// <summary>Throws <see cref="SourceException"/> naming the problem when <paramref name="filter"/> is not one condition.</summary>
    public static void Check(string? filter)
    {
        if (filter is not null && Problem(filter) is { } problem)
        {
            throw new SourceException($"Filter '{filter}' must be a single SQL condition, and {problem}. Nothing was read or sent; correct the campaign's Source:Filter.");
        }
    }

    /// <summary>Where the quote opened at <paramref name="open"/> closes (a doubled quote is one quote inside); -1 when it does not.</summary>
    private static int ClosingQuote(string text, int open, char close)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] != close)
            {
                continue;
            }

            if (At(text, i + 1, close))
            {
                i++; // '' inside a string, "" or ]] inside a name
                continue;
            }

            return i;
        }

        return -1;
    }

    private static bool At(string text, int index, char c) => index < text.Length && text[index] == c;
}
