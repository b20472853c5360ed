using System.Runtime.CompilerServices;

namespace BatchVideo.Sources;

/// <summary>
/// A CRM export as a CSV file: UTF-8 with or without BOM, comma, semicolon or tab (detected, or named by
/// Excel's <c>sep=</c> line), RFC 4180 quoting. Blank lines, lines of delimiters only and a report footer
/// are no rows; a row that lacks only trailing cells has them empty. Write-back rewrites the file through
/// a temp file renamed over it (<see cref="CsvWriteBack"/> writes it, <see cref="FileReplacement"/> keeps the file what it was): only the video cells change.
/// </summary>
public sealed class CsvContactSource : IRecipientSource, ISourceSize
{
    // The read furthest into the file (rows given, bytes passed) and the rows of the first read that
    // reached the end: the ETA's total without a counting pass.
    private readonly Lock sizeGate = new();
    private long furthestRows;
    private long furthestBytes;
    private long fileLength;
    private long? knownRows;
    private readonly string path;
    private readonly string? outPath;
    private readonly WriteBackColumns writeBackColumns;
    private readonly CsvFormat format;
    private readonly int keyIndex;
    private readonly int[] writeBackIndexes;

    private CsvContactSource(string path, string? outPath, string keyColumn, WriteBackColumns writeBackColumns, CsvFormat format, IReadOnlyList<string> columns)
    {
        this.path = path;
        this.outPath = outPath;
        this.writeBackColumns = writeBackColumns;
        this.format = format;
        Columns = columns;
        CheckNamedColumns(path, columns, [keyColumn, .. writeBackColumns.All]);
        keyIndex = IndexOf(columns, keyColumn)
            ?? throw new SourceException(HeaderBelow(path, format, keyColumn) is { } line
                ? $"Key column '{keyColumn}' is not in the first line of {path} ({string.Join(", ", columns.Where(c => c.Length > 0))}): is the header on line {line}? "
                    + $"The line(s) above it look like a report's title; delete them so the header is the first line (or export the report without its title), and run again."
                : $"Key column '{keyColumn}' is not in {path}. Its columns are: {string.Join(", ", columns)}. Pick one with --key or the campaign's KeyColumn.");
        KeyColumn = columns[keyIndex];
        writeBackIndexes = [.. writeBackColumns.All.Select(c => IndexOf(columns, c) ?? -1)];
        CheckWriteBackColumns(path, writeBackColumns.All, writeBackIndexes);
    }

    /// <summary>
    /// The video columns are all in the file (a written-back file) or none (they are appended). A file re-saved
    /// after one was deleted in a spreadsheet could not be written back; found out after the creates, the
    /// videos would be paid for and their links left only in the ledger, so it stops here, before any create.
    /// </summary>
    private static void CheckWriteBackColumns(string path, IReadOnlyList<string> names, int[] indexes)
    {
        var missing = names.Where((_, i) => indexes[i] < 0).ToList();
        if (missing.Count == 0 || missing.Count == names.Count)
        {
            return;
        }

        var present = names.Where((_, i) => indexes[i] >= 0).ToList();
        throw new SourceException(
            $"{path} has the video column(s) {string.Join(", ", present.Select(c => $"'{c}'"))} but not {string.Join(", ", missing.Select(c => $"'{c}'"))}, "
            + $"so its results could not be written back. Add {(missing.Count == 1 ? "that column" : "those columns")} back (empty is fine), "
            + $"or remove {string.Join(", ", present.Select(c => $"'{c}'"))} too (then all are added at the end), and run again.");
    }

    public string Name => path;

    public IReadOnlyList<string> Columns { get; }

    public string KeyColumn { get; }

    public int KeyIndex => keyIndex;

    /// <summary>The delimiter found in the file (or named by its <c>sep=</c> line).</summary>
    public char Delimiter => format.Delimiter;

    /// <summary>The report footer after the last row, described for the operator; null when the file has none.</summary>
    public string? Footer => format.Footer?.Describe(path);

    /// <summary>Opens and checks a CSV file; every problem that affects the whole file is thrown here, before any row is used.</summary>
    public static CsvContactSource Open(string path, string keyColumn, WriteBackColumns? writeBackColumns = null, string? outPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new SourceException($"CSV file '{path}' does not exist.");
        }

        var format = CsvFormat.Detect(path);
        var header = ReadHeader(path, format);
        return new CsvContactSource(path, outPath, keyColumn, writeBackColumns ?? new WriteBackColumns(), format, header);
    }

    /// <summary>The header of a CSV file, checked as <see cref="Open"/> checks it, for tools that need no key column.</summary>
    public static IReadOnlyList<string> ReadColumns(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new SourceException($"CSV file '{path}' does not exist.");
        }

        return ReadHeader(path, CsvFormat.Detect(path));
    }

    public long? TotalRows()
    {
        lock (sizeGate)
        {
            return knownRows ?? (furthestBytes > 0 && fileLength > 0
                ? (long)Math.Round(furthestRows * (double)fileLength / furthestBytes)
                : null);
        }
    }

    public async IAsyncEnumerable<SourceRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var videoIdIndex = writeBackIndexes[0];
        var length = new FileInfo(path).Length;
        long rows = 0;
        await foreach (var record in CsvRecordScanner.ReadAsync(path, format, Columns.Count, ct))
        {
            if (record.Kind != CsvRecordKind.Row)
            {
                continue; // blank lines, the sep= line and a report footer name no recipient; write-back keeps them
            }

            Passed(++rows, record.Offset + record.Raw.Length, length);

            var values = record.Values;
            var recorded = record.Problem is null && videoIdIndex >= 0 && videoIdIndex < values.Length && !CellText.IsBlank(values[videoIdIndex])
                ? CellText.Clean(values[videoIdIndex])
                : null;
            yield return new SourceRow(record.Line, values, record.Problem, recorded);
        }

        lock (sizeGate)
        {
            knownRows ??= rows;
        }
    }

    private void Passed(long rows, long bytes, long length)
    {
        lock (sizeGate)
        {
            if (bytes > furthestBytes)
            {
                (furthestRows, furthestBytes, fileLength) = (rows, bytes, length);
            }
        }
    }

    public async Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var target = Path.GetFullPath(outPath ?? path);
        var written = new List<string>();
        await FileReplacement.ReplaceAsync(
            path,
            target,
            (output, token) => new CsvWriteBack(path, format, Columns.Count, keyIndex, writeBackIndexes, writeBackColumns.All).CopyAsync(output, lookup, written, token),
            ct);
        return new WriteBackResult(target, written);
    }

    private static string[] ReadHeader(string path, CsvFormat format)
    {
        var malformed = new MalformedTrap();
        using var reader = format.OpenReader(path, malformed);
        if (format.HasSepLine)
        {
            reader.Read();
        }

        // Blank lines after the sep= line (Excel's \r\r\n reads as one) come before the header.
        bool found;
        while ((found = reader.Read()) && format.HasSepLine && reader.RawRecord.Length == 0)
        {
        }

        if (!found || reader.RawRecord.Length == 0)
        {
            throw new SourceException($"{path} is empty: a CSV file needs a header row naming its columns.");
        }

        if (malformed.Reason(reader.RowNumber) is { } reason)
        {
            throw new SourceException($"{path} line {reader.LineNumber}: the header is not valid CSV: {reason}");
        }

        // Header cells are names: a BOM left inside, a no-break space or a stray space is no part of them.
        // An empty cell (Excel pads headers with them) names no column a template can read; it is kept.
        // Two columns of one name (Reference and reference) are kept: they matter only where a name picks
        // one column (the key, the video columns: CheckNamedColumns) or a template reads it (ScriptRenderer).
        return reader.Current.ToArray().Select(CellText.Clean).ToArray();
    }

    /// <summary>
    /// The line of a record below the first that names the key column: a report export with title lines
    /// ("Contacts - Q4", "Exported … by …", a blank line) above its real header. Null when the first lines hold none.
    /// </summary>
    private static long? HeaderBelow(string path, CsvFormat format, string keyColumn)
    {
        const int Lines = 20;
        using var reader = format.OpenReader(path, new MalformedTrap());
        for (var i = 0; i < Lines && reader.Read(); i++)
        {
            if (i > 0 && reader.Current.ToArray().Any(c => string.Equals(CellText.Clean(c), CellText.Clean(keyColumn), StringComparison.OrdinalIgnoreCase)))
            {
                return reader.LineNumber;
            }
        }

        return null;
    }

    /// <summary>The key and video columns each name one column: a second of the same name (in any case) could be either.</summary>
    private static void CheckNamedColumns(string path, IReadOnlyList<string> columns, IEnumerable<string> names)
    {
        var duplicates = names
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => (name, at: columns.Select((c, i) => (c, i)).Where(h => string.Equals(h.c, CellText.Clean(name), StringComparison.OrdinalIgnoreCase)).Select(h => h.i + 1).ToList()))
            .Where(d => d.at.Count > 1)
            .Select(d => $"'{columns[d.at[0] - 1]}' (columns {string.Join(", ", d.at)})")
            .ToList();
        if (duplicates.Count > 0)
        {
            throw new SourceException($"{path}: the header names a column twice: {string.Join("; ", duplicates)}, and BatchVideo must know which one holds the key or the video; rename one of each.");
        }
    }

    private static int? IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], CellText.Clean(name), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }
}
