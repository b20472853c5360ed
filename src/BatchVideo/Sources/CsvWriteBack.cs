using System.Text;

namespace BatchVideo.Sources;

/// <summary>
/// Copies a CSV file with the video cells of its rows filled, changing nothing else: the bytes between
/// records (BOM, the <c>sep=</c> line's break, each record's own line break, blank lines) are copied as
/// they are, a record whose video cells do not change is copied raw, and in one that changes only the
/// video cells are written anew, in the quoting of the cell they replace (or of the row, when appended).
/// </summary>
internal sealed class CsvWriteBack(string path, CsvFormat format, int width, int keyIndex, int[] videoIndexes, IReadOnlyList<string> videoColumns)
{
    private const int Chunk = 1000;

    private readonly bool append = videoIndexes.All(i => i < 0);
    private readonly byte delimiter = (byte)format.Delimiter;

    /// <summary>Writes the file with its video cells to <paramref name="output"/>; the keys written go to <paramref name="written"/>.</summary>
    public async Task CopyAsync(Stream output, WriteBackLookup lookup, List<string> written, CancellationToken ct)
    {
        if (!append && videoIndexes.Any(i => i < 0))
        {
            throw new SourceException(
                $"{path} has some of the columns {string.Join(", ", videoColumns)} but not all; add the missing ones or remove them all.");
        }

        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var seen = new SeenKeys();
        var chunk = new List<Pending>(Chunk);
        var buffer = new MemoryStream();
        long position = 0;
        await foreach (var record in CsvRecordScanner.ReadAsync(path, format, width, ct))
        {
            var between = await ReadAsync(input, record.Offset - position, ct);
            var raw = await ReadAsync(input, record.Raw.Length, ct);
            if (!raw.AsSpan().SequenceEqual(record.Raw))
            {
                // Never guess: a record that is not where the parser says would be rewritten wrongly.
                throw new SourceException($"{path} line {record.Line}: the record could not be located in the file's bytes; nothing was written back.");
            }

            position = record.Offset + record.Raw.Length;
            string? key = null;
            if (record is { Kind: CsvRecordKind.Row, Problem: null })
            {
                var value = record.Values[keyIndex];
                var clean = CellText.Clean(value);
                if (clean.Length > 0 && seen.TryAdd(clean, record.Line, out _))
                {
                    key = value;
                }
            }

            chunk.Add(new Pending(between, record, key));
            if (chunk.Count == Chunk)
            {
                await FlushAsync(buffer, output, chunk, lookup, written, ct);
            }
        }

        await FlushAsync(buffer, output, chunk, lookup, written, ct);
        await input.CopyToAsync(output, ct); // whatever follows the last record, exactly as it was
    }

    private static async Task<byte[]> ReadAsync(FileStream input, long count, CancellationToken ct)
    {
        var bytes = new byte[count];
        await input.ReadExactlyAsync(bytes, ct);
        return bytes;
    }

    private async Task FlushAsync(MemoryStream buffer, Stream output, List<Pending> chunk, WriteBackLookup lookup, List<string> written, CancellationToken ct)
    {
        var keys = chunk.Where(r => r.Key is not null).Select(r => r.Key!).Distinct(StringComparer.Ordinal).ToList();
        var values = keys.Count == 0 ? new Dictionary<string, WriteBackValues>() : await lookup(keys, ct);
        foreach (var row in chunk)
        {
            buffer.Write(row.Between);
            WriteBackValues? value = null;
            if (row.Key is not null && values.TryGetValue(row.Key, out value))
            {
                written.Add(row.Key);
            }

            switch (row.Record.Kind)
            {
                case CsvRecordKind.Header:
                    WriteHeader(buffer, row.Record);
                    break;
                case CsvRecordKind.Row when row.Record.Problem is null:
                    WriteRow(buffer, row.Record, value);
                    break;
                default:
                    buffer.Write(row.Record.Raw);
                    break;
            }
        }

        chunk.Clear();
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
        buffer.SetLength(0);
    }

    private void WriteHeader(MemoryStream buffer, CsvRecord header)
    {
        buffer.Write(header.Raw);
        if (append)
        {
            var quoted = AllQuoted(header.Raw, RawFields.Split(header.Raw, delimiter));
            foreach (var name in videoColumns)
            {
                buffer.WriteByte(delimiter);
                WriteCell(buffer, name, quoted);
            }
        }
    }

    private void WriteRow(MemoryStream buffer, CsvRecord row, WriteBackValues? value)
    {
        var raw = row.Raw;
        var fields = RawFields.Split(raw, delimiter);
        string[] cells = [value?.VideoId ?? "", value?.Status ?? "", value?.Url ?? "", .. FactCells(value)];
        if (fields.Count != row.FieldCount)
        {
            buffer.Write(raw); // the parser and the splitter disagree: leave the row as it is
            return;
        }

        var quoted = AllQuoted(raw, fields);
        if (append)
        {
            buffer.Write(raw);
            for (var i = row.FieldCount; i < width; i++)
            {
                buffer.WriteByte(delimiter);
                WriteCell(buffer, "", quoted);
            }

            foreach (var cell in cells)
            {
                buffer.WriteByte(delimiter);
                WriteCell(buffer, cell, quoted);
            }

            return;
        }

        var changes = value is not null && videoIndexes.Select((column, i) => row.Values[column] != cells[i]).Any(changed => changed);
        if (!changes)
        {
            buffer.Write(raw);
            return;
        }

        for (var column = 0; column < width; column++)
        {
            if (column > 0)
            {
                buffer.WriteByte(delimiter);
            }

            var video = Array.IndexOf(videoIndexes, column);
            if (video >= 0 && row.Values[column] != cells[video])
            {
                WriteCell(buffer, cells[video], column < fields.Count ? IsQuoted(raw, fields[column]) : quoted);
            }
            else if (column < fields.Count)
            {
                buffer.Write(raw.AsSpan(fields[column].Start, fields[column].End - fields[column].Start));
            }
            else
            {
                WriteCell(buffer, "", quoted);
            }
        }
    }

    /// <summary>The fact cells (thumbnail, duration…) of the named fact columns, empty where the ledger has none.</summary>
    private IEnumerable<string> FactCells(WriteBackValues? value) =>
        Enumerable.Range(0, videoColumns.Count - 3).Select(i => value is not null && i < value.Facts.Count ? value.Facts[i] ?? "" : "");

    private void WriteCell(MemoryStream buffer, string value, bool quoted)
    {
        if (!quoted && value.AsSpan().IndexOfAny([(char)delimiter, '"', '\r', '\n']) < 0)
        {
            buffer.Write(Encoding.UTF8.GetBytes(value));
            return;
        }

        buffer.WriteByte((byte)'"');
        buffer.Write(Encoding.UTF8.GetBytes(value.Replace("\"", "\"\"", StringComparison.Ordinal)));
        buffer.WriteByte((byte)'"');
    }

    /// <summary>A record whose every cell is quoted (Salesforce quotes every value): new cells are quoted too.</summary>
    private static bool AllQuoted(byte[] raw, List<CellSpan> fields) =>
        fields.Count > 0 && fields.All(f => IsQuoted(raw, f));

    private static bool IsQuoted(byte[] raw, CellSpan field) => field.End > field.Start && raw[field.Start] == '"';

    private sealed record Pending(byte[] Between, CsvRecord Record, string? Key);
}

/// <summary>
/// The byte ranges of a record's cells, quotes included, as RFC 4180 splits them and as the reader does: a
/// quote opens a quoted cell only as the cell's first byte; one inside an unquoted cell (<c>Lee 24" Displays</c>)
/// is a character, as Excel reads it.
/// </summary>
internal static class RawFields
{
    public static List<CellSpan> Split(ReadOnlySpan<byte> raw, byte delimiter)
    {
        var fields = new List<CellSpan>();
        var start = 0;
        var i = 0;
        while (true)
        {
            if (i < raw.Length && raw[i] == '"')
            {
                for (i++; i < raw.Length; i++)
                {
                    if (raw[i] == '"')
                    {
                        if (i + 1 < raw.Length && raw[i + 1] == '"')
                        {
                            i++;
                            continue;
                        }

                        i++;
                        break;
                    }
                }
            }

            while (i < raw.Length && raw[i] != delimiter)
            {
                i++;
            }

            fields.Add(new CellSpan(start, i));
            if (i >= raw.Length)
            {
                return fields;
            }

            start = ++i;
        }
    }
}

/// <summary>A half-open range of bytes.</summary>
internal readonly record struct CellSpan(int Start, int End);
