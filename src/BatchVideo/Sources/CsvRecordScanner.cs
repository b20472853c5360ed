using System.Runtime.CompilerServices;

namespace BatchVideo.Sources;

/// <summary>What a record of a CSV file is to BatchVideo.</summary>
internal enum CsvRecordKind
{
    /// <summary>Excel's <c>sep=;</c> line before the header.</summary>
    Preamble,

    Header,

    /// <summary>An empty line, or a line of delimiters only (<c>,,,,</c>, left where Excel rows were deleted): no recipient.</summary>
    Blank,

    /// <summary>A recipient, or a line that should have been one (<see cref="CsvRecord.Problem"/> says why not).</summary>
    Row,

    /// <summary>A line of the report footer (<see cref="CsvFooter"/>).</summary>
    Footer,
}

/// <summary>One record of a CSV file, where it lies in the file's bytes, and its values.</summary>
/// <param name="Offset">Where its bytes start in the file (a BOM counts).</param>
/// <param name="Raw">Its bytes, without the line break after it.</param>
/// <param name="Values">Its cells, padded with empty ones when the row lacks only trailing cells (<paramref name="Padded"/>).</param>
internal sealed record CsvRecord(CsvRecordKind Kind, long Line, long Offset, byte[] Raw, string[] Values, string? Problem, bool Padded)
{
    /// <summary>How many cells the record really has (fewer than <see cref="Values"/> when padded).</summary>
    public int FieldCount { get; init; } = Values.Length;
}

/// <summary>
/// Reads a CSV file record by record (CsvHelper's RFC 4180 parser) and says what each record is: the one
/// place where the reader and the write-back learn the file's structure, so both see the same rows.
/// Between two records lie only the first one's line break and blank lines; they belong to no record,
/// and write-back copies them as they are.
/// </summary>
internal static class CsvRecordScanner
{
    public static async IAsyncEnumerable<CsvRecord> ReadAsync(string path, CsvFormat format, int width, [EnumeratorCancellation] CancellationToken ct)
    {
        var malformed = new MalformedTrap();
        using var reader = format.OpenReader(path, malformed);
        var count = 0;
        var preamble = format.HasSepLine;
        var header = true;
        string[] names = [];

        // One row is held back, so the last one can be told apart: a problem there in a file that
        // does not end with a line break is what a cut-off download or export looks like.
        CsvRecord? held = null;
        while (await reader.ReadAsync(ct))
        {
            if (++count % 4096 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var offset = reader.ByteOffset;
            var raw = reader.RawRecord.ToArray();
            CsvRecord record;
            if (preamble)
            {
                preamble = false;
                record = new CsvRecord(CsvRecordKind.Preamble, reader.LineNumber, offset, raw, [], null, false);
            }
            else if (header && format.HasSepLine && raw.Length == 0)
            {
                record = new CsvRecord(CsvRecordKind.Blank, reader.LineNumber, offset, raw, [], null, false);
            }
            else if (header)
            {
                header = false;
                record = new CsvRecord(CsvRecordKind.Header, reader.LineNumber, offset, raw, reader.Current.ToArray(), malformed.Reason(reader.RowNumber), false);
                names = record.Values;
            }
            else if (format.Footer is { } footer && offset >= footer.Offset)
            {
                record = new CsvRecord(CsvRecordKind.Footer, reader.LineNumber, offset, raw, [], null, false);
            }
            else
            {
                record = Row(reader, malformed, format, offset, raw, width, names);
            }

            if (held is not null)
            {
                yield return held;
            }

            held = record;
        }

        if (held is not null)
        {
            yield return held.Kind == CsvRecordKind.Row && !format.EndsWithNewLine ? AtTheEnd(held, width) : held;
        }
    }

    private static CsvRecord Row(CsvHelper.CsvReader reader, MalformedTrap malformed, CsvFormat format, long offset, byte[] raw, int width, string[] names)
    {
        var values = reader.Current.ToArray();
        if (raw.Length == 0 || (values.All(v => v.Length == 0) && malformed.Reason(reader.RowNumber) is null))
        {
            return new CsvRecord(CsvRecordKind.Blank, reader.LineNumber, offset, raw, values, null, false);
        }

        if (malformed.Reason(reader.RowNumber) is { } reason)
        {
            // An unclosed quote runs on over the next lines, which are then no rows of their own:
            // say which, or those recipients would vanish without a word.
            var swallowed = raw.Count(b => b == '\n') + raw.Count(b => b == '\r') - CountCrLf(raw) - (raw[^1] is (byte)'\n' or (byte)'\r' ? 1 : 0);
            reason = QuoteCause(raw, (byte)format.Delimiter, names) ?? reason;
            var problem = swallowed <= 0
                ? reason
                : $"{reason}; the row runs on to line {reader.LineNumber + swallowed}, so the {swallowed} line(s) after it are not read as rows";
            return new CsvRecord(CsvRecordKind.Row, reader.LineNumber, offset, raw, values, problem, false);
        }

        if (values.Length > width)
        {
            var cause = QuoteCause(raw, (byte)format.Delimiter, names);
            return new CsvRecord(CsvRecordKind.Row, reader.LineNumber, offset, raw, values, $"has {values.Length} fields, the header has {width}{(cause is null ? "" : ": " + cause)}", false);
        }

        if (raw.AsSpan().Contains((byte)'"') && QuoteCause(raw, (byte)format.Delimiter, names) is { } quoting)
        {
            // Read without an error, yet not as written: a space before a quote leaves the quotes in the value.
            return new CsvRecord(CsvRecordKind.Row, reader.LineNumber, offset, raw, values, quoting, false);
        }

        if (values.Length < width)
        {
            // Excel leaves out the trailing delimiters of empty last cells in some rows: they are empty.
            var padded = new string[width];
            values.CopyTo(padded, 0);
            Array.Fill(padded, "", values.Length, width - values.Length);
            return new CsvRecord(CsvRecordKind.Row, reader.LineNumber, offset, raw, padded, null, true) { FieldCount = values.Length };
        }

        return new CsvRecord(CsvRecordKind.Row, reader.LineNumber, offset, raw, values, null, false);
    }

    /// <summary>
    /// The first cell whose quoting is wrong, named by its column, and why, in the words of the fix; null when
    /// the quoting looks right. A space before an opening quote (<c>a, "b, c"</c>) makes the quote a character,
    /// so the delimiter inside splits the cell (Python's csv calls the fix skipinitialspace).
    /// </summary>
    internal static string? QuoteCause(byte[] raw, byte delimiter, string[] names)
    {
        var fields = RawFields.Split(raw, delimiter);
        for (var i = 0; i < fields.Count; i++)
        {
            var cell = raw.AsSpan(fields[i].Start, fields[i].End - fields[i].Start);
            var column = i < names.Length && names[i].Trim().Length > 0 ? $"column '{names[i].Trim()}'" : $"column {i + 1}";
            var lead = cell.IndexOfAnyExcept((byte)' ', (byte)'\t');
            if (lead > 0 && cell[lead] == '"')
            {
                return $"{column} has a space before its opening quote, so the quote is read as a character and a '{(char)delimiter}' inside the quotes splits the cell; remove the space after the '{(char)delimiter}'";
            }

            if (cell.Length > 0 && cell[0] == '"')
            {
                var close = ClosingQuote(cell);
                if (close < 0)
                {
                    return $"{column} opens a quote that is never closed; close it, or double a quote meant as a character (\"\")";
                }

                if (close + 1 < cell.Length)
                {
                    return $"{column} has text after its closing quote; quote the whole cell and double the quotes inside it (\"\"\"Big\"\" Mike\" for \"Big\" Mike)";
                }
            }
        }

        return null;
    }

    private static int ClosingQuote(ReadOnlySpan<byte> cell)
    {
        for (var i = 1; i < cell.Length; i++)
        {
            if (cell[i] == '"')
            {
                if (i + 1 < cell.Length && cell[i + 1] == '"')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }

    /// <summary>The last row of a file without a final line break: short or malformed, it was cut off.</summary>
    private static CsvRecord AtTheEnd(CsvRecord row, int width)
    {
        const string Truncated = "; the file ends in the middle of this row, so it looks truncated";
        if (row.Padded)
        {
            return row with { Values = row.Values[..row.FieldCount], Padded = false, Problem = $"has {row.FieldCount} fields, the header has {width}{Truncated}" };
        }

        return row.Problem is not null ? row with { Problem = row.Problem + Truncated } : row;
    }

    private static int CountCrLf(byte[] raw)
    {
        var pairs = 0;
        for (var i = 0; i + 1 < raw.Length; i++)
        {
            if (raw[i] == '\r' && raw[i + 1] == '\n')
            {
                pairs++;
            }
        }

        return pairs;
    }
}
