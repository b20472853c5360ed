using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;

namespace BatchVideo.Sources;

/// <summary>
/// A CRM export as a CSV file: UTF-8 with or without BOM, comma, semicolon or tab (detected), RFC 4180
/// quoting. Write-back rewrites the file through a temp file and a rename, keeping every byte of the
/// cells it does not own: rows are copied raw and only the video columns are appended or replaced.
/// </summary>
public sealed class CsvContactSource : IRecipientSource
{
    private const int WriteBackChunk = 1000;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
        keyIndex = IndexOf(columns, keyColumn)
            ?? throw new SourceException(
                $"Key column '{keyColumn}' is not in {path}. Its columns are: {string.Join(", ", columns)}. Pick one with --key or the campaign's KeyColumn.");
        KeyColumn = columns[keyIndex];
        writeBackIndexes = [.. writeBackColumns.All.Select(c => IndexOf(columns, c) ?? -1)];
    }

    public string Name => path;

    public IReadOnlyList<string> Columns { get; }

    public string KeyColumn { get; }

    public int KeyIndex => keyIndex;

    /// <summary>The delimiter found in the file.</summary>
    public char Delimiter => format.Delimiter;

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

    public async IAsyncEnumerable<SourceRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var malformed = new MalformedTrap();
        using var reader = format.OpenReader(path, malformed);
        var width = Columns.Count;
        var videoIdIndex = writeBackIndexes[0];
        var count = 0;
        var isHeader = true;

        // One row is held back, so the last one can be told apart: a problem there in a file that
        // does not end with a line break is what a cut-off download or export looks like.
        SourceRow? held = null;
        while (await reader.ReadAsync(ct))
        {
            if (isHeader)
            {
                isHeader = false;
                continue;
            }

            if (++count % 4096 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            if (reader.RawRecord.Length == 0)
            {
                continue; // a blank line names no recipient; write-back keeps it where it was
            }

            var record = reader.Current.ToArray();
            string? problem = null;
            if (malformed.Reason(reader.RowNumber) is { } reason)
            {
                // An unclosed quote runs on over the next lines, which are then no rows of their own:
                // say which, or those recipients would vanish without a word.
                var raw = reader.RawRecord;
                var swallowed = raw.Count(format.NewLine[^1]) - (raw.Length > 0 && raw[^1] == format.NewLine[^1] ? 1 : 0);
                problem = swallowed == 0
                    ? reason
                    : $"{reason}; the row runs on to line {reader.LineNumber + swallowed}, so the {swallowed} line(s) after it are not read as rows";
            }
            else if (record.Length != width)
            {
                problem = $"has {record.Length} fields, the header has {width}";
            }

            var recorded = videoIdIndex >= 0 && videoIdIndex < record.Length && record[videoIdIndex].Length > 0
                ? record[videoIdIndex]
                : null;
            if (held is not null)
            {
                yield return held;
            }

            held = new SourceRow(reader.LineNumber, record, problem, recorded);
        }

        if (held is not null)
        {
            yield return held.Problem is not null && !format.EndsWithNewLine
                ? held with { Problem = held.Problem + "; the file ends in the middle of this row, so it looks truncated" }
                : held;
        }
    }

    public async Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var target = Path.GetFullPath(outPath ?? path);
        var folder = Path.GetDirectoryName(target)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        RemoveAbandonedTempFiles(folder, Path.GetFileName(target));
        var written = new List<string>();
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await CopyWithVideoColumnsAsync(output, lookup, written, ct);
                await output.FlushAsync(ct);
                output.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return new WriteBackResult(target, written);
    }

    /// <summary>
    /// A write-back killed before its rename leaves its temp file behind; the next one (the run holds the
    /// file's lock) removes such leftovers, recognised by the exact name pattern only this class uses.
    /// </summary>
    private static void RemoveAbandonedTempFiles(string folder, string name)
    {
        foreach (var file in Directory.EnumerateFiles(folder, $".{name}.*.tmp"))
        {
            var middle = Path.GetFileName(file)[(name.Length + 2)..^4];
            if (middle.Length == 32 && Guid.TryParseExact(middle, "N", out _))
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // Still open somewhere: left for the next write-back.
                }
            }
        }
    }

    private async Task CopyWithVideoColumnsAsync(Stream output, WriteBackLookup lookup, List<string> written, CancellationToken ct)
    {
        var appendColumns = writeBackIndexes.All(i => i < 0);
        if (!appendColumns && writeBackIndexes.Any(i => i < 0))
        {
            throw new SourceException(
                $"{path} has some of the columns {string.Join(", ", writeBackColumns.All)} but not all; add the missing ones or remove them all.");
        }

        var malformed = new MalformedTrap();
        using var reader = format.OpenReader(path, malformed);
        using var rows = new RowWriter(output, format, Columns.Count, writeBackIndexes, appendColumns);
        if (format.HasBom)
        {
            await output.WriteAsync(Encoding.UTF8.Preamble.ToArray(), ct);
        }

        await reader.ReadAsync(ct);
        rows.WriteHeader(reader.RawRecord, appendColumns ? writeBackColumns.All : []);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var chunk = new List<PendingRow>(WriteBackChunk);
        while (await reader.ReadAsync(ct))
        {
            var raw = reader.RawRecord.ToArray();
            string[]? record = null;
            string? key = null;
            if (raw.Length > 0 && reader.FieldCount == Columns.Count && malformed.Reason(reader.RowNumber) is null)
            {
                record = reader.Current.ToArray();
                key = record[keyIndex].Trim();
                if (key.Length == 0 || !seen.Add(key))
                {
                    key = null;
                }
            }

            chunk.Add(new PendingRow(raw, record, key));
            if (chunk.Count == WriteBackChunk)
            {
                await FlushChunkAsync(rows, chunk, lookup, written, ct);
            }
        }

        await FlushChunkAsync(rows, chunk, lookup, written, ct);
        await rows.FinishAsync(ct);
    }

    private static async Task FlushChunkAsync(RowWriter rows, List<PendingRow> chunk, WriteBackLookup lookup, List<string> written, CancellationToken ct)
    {
        var keys = chunk.Where(r => r.Key is not null).Select(r => r.Key!).ToList();
        var values = keys.Count == 0 ? new Dictionary<string, WriteBackValues>() : await lookup(keys, ct);
        foreach (var row in chunk)
        {
            WriteBackValues? value = null;
            if (row.Key is not null && values.TryGetValue(row.Key, out value))
            {
                written.Add(row.Key);
            }

            rows.WriteRow(row.Raw, row.Record, value);
        }

        await rows.DrainAsync(ct);
        chunk.Clear();
    }

    private static string[] ReadHeader(string path, CsvFormat format)
    {
        var malformed = new MalformedTrap();
        using var reader = format.OpenReader(path, malformed);
        if (!reader.Read() || reader.RawRecord.Length == 0)
        {
            throw new SourceException($"{path} is empty: a CSV file needs a header row naming its columns.");
        }

        if (malformed.Reason(reader.RowNumber) is { } reason)
        {
            throw new SourceException($"{path} line 1: the header is not valid CSV: {reason}");
        }

        var header = reader.Current.ToArray().Select(h => h.Trim()).ToArray();
        var duplicates = header
            .Select((name, index) => (name, index))
            .GroupBy(h => h.name, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => $"'{g.Key}' (columns {string.Join(", ", g.Select(h => h.index + 1))})")
            .ToList();
        if (duplicates.Count > 0)
        {
            throw new SourceException($"{path} line 1: the header names a column twice: {string.Join("; ", duplicates)}. Rename one of each.");
        }

        return header;
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
            if (string.Equals(columns[i], name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    private sealed record PendingRow(byte[] Raw, string[]? Record, string? Key);

    /// <summary>Remembers which records CsvHelper reported as malformed, and why.</summary>
    private sealed class MalformedTrap
    {
        private long recordNumber = -1;
        private string? reason;

        public void Report(CsvMalformedRecord record)
        {
            if (record.Reason == CsvMalformedReason.FieldCountMismatch)
            {
                return; // counted against the header by the source itself, with both numbers
            }

            recordNumber = record.RecordNumber;
            reason = record.Reason switch
            {
                CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed (unbalanced quotes)",
                CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
                CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a field",
                _ => $"malformed quoting ({record.Reason})",
            };
        }

        public string? Reason(long row) => row == recordNumber ? reason : null;
    }

    /// <summary>What a file looks like on disk, found once and reused to write it back the same way.</summary>
    private sealed record CsvFormat(char Delimiter, bool HasBom, byte[] NewLine, bool EndsWithNewLine)
    {
        // Far above any real CRM row, low enough that an unclosed quote cannot eat the machine.
        private const int MaxRecordBytes = 64 << 20;

        public CsvReader OpenReader(string path, MalformedTrap trap) => CsvReader.FromFile(path, new CsvReaderOptions
        {
            Separator = Delimiter,
            HasHeader = false,
            Mode = CsvMode.Rfc4180,
            SkipEmptyLines = false,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = trap.Report,
            MaxRecordSize = MaxRecordBytes,
        });

        public static CsvFormat Detect(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (stream.Length == 0)
            {
                throw new SourceException($"{path} is empty: a CSV file needs a header row naming its columns.");
            }

            var buffer = new byte[1 << 16];
            var read = stream.Read(buffer, 0, buffer.Length);
            if (read >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF)))
            {
                throw new SourceException($"{path} is UTF-16 encoded; save it as UTF-8 (\"CSV UTF-8\" in Excel) and run again.");
            }

            var hasBom = read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF;
            var head = buffer.AsSpan(hasBom ? 3 : 0, read - (hasBom ? 3 : 0));
            var newLine = DetectNewLine(head);
            var last = new byte[1];
            stream.Seek(-1, SeekOrigin.End);
            stream.ReadExactly(last);
            stream.Seek(0, SeekOrigin.Begin);
            CheckUtf8(path, stream);
            char delimiter;
            using (var probe = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = false }))
            {
                // CsvHelper picks among , ; tab and | by how consistently each appears per line.
                delimiter = probe.Separator;
            }

            return new CsvFormat(delimiter, hasBom, newLine, last[0] is (byte)'\n' or (byte)'\r');
        }

        // The whole file is checked before any row is used: a file in another encoding would be
        // rewritten wrongly by write-back, so it must stop the run before a credit is spent.
        private static void CheckUtf8(string path, FileStream stream)
        {
            var buffer = new byte[1 << 16];
            var decoder = StrictUtf8.GetDecoder();
            var chars = new char[StrictUtf8.GetMaxCharCount(buffer.Length)];
            long offset = 0;
            long line = 1;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                try
                {
                    decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
                }
                catch (DecoderFallbackException e)
                {
                    var at = Math.Clamp(e.Index, 0, read);
                    line += buffer.AsSpan(0, at).Count((byte)'\n');
                    throw new SourceException(
                        $"{path} line {line} (byte {offset + at}) is not valid UTF-8; save the file as UTF-8 (\"CSV UTF-8\" in Excel) and run again.");
                }

                line += buffer.AsSpan(0, read).Count((byte)'\n');
                offset += read;
            }

            try
            {
                decoder.GetChars([], 0, 0, chars, 0, flush: true);
            }
            catch (DecoderFallbackException)
            {
                throw new SourceException($"{path} ends in the middle of a UTF-8 character: the file looks truncated.");
            }
        }

        private static byte[] DetectNewLine(ReadOnlySpan<byte> head)
        {
            var index = head.IndexOfAny((byte)'\n', (byte)'\r');
            if (index < 0)
            {
                return "\r\n"u8.ToArray();
            }

            if (head[index] == '\r')
            {
                return index + 1 < head.Length && head[index + 1] == '\n' ? "\r\n"u8.ToArray() : "\r"u8.ToArray();
            }

            return "\n"u8.ToArray();
        }
    }

    /// <summary>
    /// Writes rows back as bytes: a row is copied raw, with the video cells appended or, when the file
    /// already has them and they change, the row is re-encoded from the values it was read as.
    /// </summary>
    private sealed class RowWriter(Stream output, CsvFormat format, int width, int[] videoIndexes, bool appendColumns) : IDisposable
    {
        private readonly MemoryStream pending = new();

        // A quote never closed runs to the end of the file and takes its final line break into the raw
        // record; that break must not be written a second time.
        private bool lastRowEndsWithLineBreak;

        public void Dispose() => pending.Dispose();

        public void WriteHeader(ReadOnlySpan<byte> raw, IReadOnlyList<string> appended)
        {
            pending.Write(raw);
            foreach (var name in appended)
            {
                WriteField(name);
            }
        }

        public void WriteRow(byte[] raw, string[]? record, WriteBackValues? value)
        {
            NewLine();
            lastRowEndsWithLineBreak = false;
            if (record is null || record.Length != width)
            {
                pending.Write(raw);
                lastRowEndsWithLineBreak = raw.Length > 0 && raw[^1] is (byte)'\n' or (byte)'\r';
                return;
            }

            string[] cells = [value?.VideoId ?? "", value?.Status ?? "", value?.Url ?? ""];
            if (appendColumns)
            {
                pending.Write(raw);
                foreach (var cell in cells)
                {
                    WriteField(cell);
                }

                return;
            }

            var changed = false;
            for (var i = 0; i < videoIndexes.Length && value is not null; i++)
            {
                if (record[videoIndexes[i]] != cells[i])
                {
                    record[videoIndexes[i]] = cells[i];
                    changed = true;
                }
            }

            if (!changed)
            {
                pending.Write(raw);
                return;
            }

            // Every value stays as it was read; only the quoting of this one row may change.
            for (var i = 0; i < record.Length; i++)
            {
                if (i > 0)
                {
                    pending.WriteByte((byte)format.Delimiter);
                }

                pending.Write(Encoding.UTF8.GetBytes(Escape(record[i])));
            }
        }

        public async Task DrainAsync(CancellationToken ct)
        {
            pending.Position = 0;
            await pending.CopyToAsync(output, ct);
            pending.SetLength(0);
        }

        public async Task FinishAsync(CancellationToken ct)
        {
            if (format.EndsWithNewLine && !lastRowEndsWithLineBreak)
            {
                pending.Write(format.NewLine);
            }

            await DrainAsync(ct);
        }

        private void NewLine() => pending.Write(format.NewLine);

        private void WriteField(string value)
        {
            pending.WriteByte((byte)format.Delimiter);
            pending.Write(Encoding.UTF8.GetBytes(Escape(value)));
        }

        private string Escape(string value)
        {
            if (value.AsSpan().IndexOfAny([format.Delimiter, '"', '\r', '\n']) < 0)
            {
                return value;
            }

            return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }
    }
}
