using System.Text;

namespace BatchVideo.Tests.Support;

/// <summary>
/// A CSV file split into records of raw cells (quotes kept) and each record's own line break, written
/// independently of the product's reader, to check that a write-back changed only the video cells.
/// </summary>
public static class CsvBytes
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>One line break of its own per record; a blank line is a record with one empty cell.</summary>
    public static (bool HasBom, List<Record> Records) Split(byte[] bytes, char delimiter)
    {
        var hasBom = bytes.AsSpan().StartsWith(Bom);
        var records = new List<Record>();
        var cells = new List<string>();
        var start = hasBom ? 3 : 0;
        var quoted = false;
        var i = start;
        for (; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && b == delimiter)
            {
                cells.Add(Encoding.UTF8.GetString(bytes, start, i - start));
                start = i + 1;
            }
            else if (!quoted && b is (byte)'\r' or (byte)'\n')
            {
                cells.Add(Encoding.UTF8.GetString(bytes, start, i - start));
                var end = b == '\r' && i + 1 < bytes.Length && bytes[i + 1] == '\n' ? "\r\n" : ((char)b).ToString();
                records.Add(new Record([.. cells], end));
                cells.Clear();
                i += end.Length - 1;
                start = i + 1;
            }
        }

        if (start < bytes.Length || cells.Count > 0)
        {
            cells.Add(Encoding.UTF8.GetString(bytes, start, bytes.Length - start));
            records.Add(new Record([.. cells], ""));
        }

        return (hasBom, records);
    }

    /// <summary>
    /// Asserts that <paramref name="after"/> is <paramref name="before"/> with only video cells changed
    /// (appended after the header's last column, or replaced where the header has them) and rows padded
    /// with empty cells; returns the video cells of each record, unquoted (null where there are none).
    /// </summary>
    public static List<string[]?> AssertOnlyVideoCellsChanged(byte[] before, byte[] after, char delimiter, int headerIndex = 0, string[]? videoColumns = null)
    {
        videoColumns ??= ["video_id", "video_status", "video_url"];
        var (bomBefore, old) = Split(before, delimiter);
        var (bomAfter, now) = Split(after, delimiter);
        Assert.That(bomAfter, Is.EqualTo(bomBefore), "byte order mark kept");
        Assert.That(now.Select(r => r.End), Is.EqualTo(old.Select(r => r.End)), "every record keeps its own line break, and the file its end");
        var header = old[headerIndex].Cells.Select(c => Unquote(c).Trim()).ToList();
        var existing = videoColumns.Select(c => header.FindIndex(h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase))).ToArray();
        var appended = existing.All(i => i < 0);
        var width = header.Count;
        var videos = new List<string[]?>();
        for (var r = 0; r < old.Count; r++)
        {
            var (a, b) = (old[r].Cells, now[r].Cells);
            var where = $"record {r + 1}";
            if (r < headerIndex || SameCells(a, b))
            {
                videos.Add(r > headerIndex && !appended && a.Count == width ? [.. existing.Select(i => Unquote(a[i]))] : null);
                continue;
            }

            if (r == headerIndex)
            {
                Assert.That(appended, Is.True, $"{where}: the header changes only when the video columns are appended");
                Assert.That(b.Take(a.Count), Is.EqualTo(a), $"{where}: header cells kept");
                Assert.That(b.Skip(a.Count).Select(Unquote), Is.EqualTo(videoColumns), $"{where}: the video columns appended");
                videos.Add(null);
                continue;
            }

            Assert.That(b, Has.Count.EqualTo(appended ? width + videoColumns.Length : width), $"{where}: padded to the header, with the video cells");
            for (var c = 0; c < b.Count; c++)
            {
                var isVideo = appended ? c >= width : existing.Contains(c);
                if (c < a.Count && !isVideo)
                {
                    Assert.That(b[c], Is.EqualTo(a[c]), $"{where}, cell {c + 1}: raw bytes kept");
                }
                else if (c >= a.Count && !isVideo)
                {
                    Assert.That(Unquote(b[c]), Is.Empty, $"{where}, cell {c + 1}: padding is empty");
                }
            }

            videos.Add(appended ? [.. b.Skip(width).Select(Unquote)] : [.. existing.Select(i => Unquote(b[i]))]);
        }

        return videos;
    }

    public static string Unquote(string cell) =>
        cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : cell;

    private static bool SameCells(List<string> a, List<string> b) => a.SequenceEqual(b, StringComparer.Ordinal);

    /// <summary>One record: its raw cells, and the line break that ends it ("" at the end of a file without one).</summary>
    public sealed record Record(List<string> Cells, string End);
}
