namespace BatchVideo.Reports;

/// <summary>
/// A cell of a CSV file BatchVideo writes for people to open (the rejects CSV), made safe for a spreadsheet
/// as OWASP's "CSV Injection" page recommends: a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>,
/// a tab or a carriage return gets a leading apostrophe, so Excel and Sheets show it as text instead of
/// running it (<c>=HYPERLINK(…)</c> sending data away, <c>=cmd|…</c> starting a program). A plain number
/// (<c>-5</c>, <c>+3.5</c>) and a lone <c>-</c> are left as they are. The source file is never changed.
/// </summary>
public static class SpreadsheetCell
{
    private static readonly System.Buffers.SearchValues<char> NumberChars = System.Buffers.SearchValues.Create("0123456789.,");

    public static string Neutralise(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || value[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r') || value == "-" || IsPlainNumber(value))
        {
            return value;
        }

        return "'" + value;
    }

    private static bool IsPlainNumber(string value) =>
        value.Length > 1 && value[0] is '+' or '-'
        && value.AsSpan(1).IndexOfAnyExcept(NumberChars) < 0 && char.IsAsciiDigit(value[1]);
}
