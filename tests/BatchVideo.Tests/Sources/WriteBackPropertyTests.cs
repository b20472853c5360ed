using System.Globalization;
using System.Text;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sources;

/// <summary>
/// Generated exports (random quoting, record ends, BOM, <c>sep=</c> line, blank and delimiter-only lines,
/// short rows, existing video columns, with or without a final line break) written back: only the video
/// cells may change, and every recipient gets exactly its own values.
/// </summary>
[TestFixture]
public sealed class WriteBackPropertyTests
{
    private static readonly string[] Words = ["Ann", "Zoë", "O'Brien", "Lefèvre, Père", "say \"hi\"", "two\nlines", "cr\r\nlf", " padded ", "", "01010", "=SUM(A1)", "東京", "a;b", "tab\there"];

    [Test]
    public async Task Write_back_of_generated_exports_changes_only_the_video_cells([Range(1, 300)] int seed)
    {
        using var folder = new TempFolder();
        var export = Export.Generate(new Random(seed));
        var path = folder.WriteBytes("c.csv", export.Bytes);
        var values = export.Keys.Where((_, i) => (i + seed) % 3 != 0)
            .ToDictionary(k => k, k => new WriteBackValues("vid-" + k, "completed", $"https://x/{k}?a=1,2"), StringComparer.Ordinal);

        await CsvContactSource.Open(path, "id").WriteBackAsync(
            (keys, _) => Task.FromResult<IReadOnlyDictionary<string, WriteBackValues>>(keys.Where(values.ContainsKey).ToDictionary(k => k, k => values[k])),
            CancellationToken.None);

        var after = File.ReadAllBytes(path);
        var videos = CsvBytes.AssertOnlyVideoCellsChanged(export.Bytes, after, export.Delimiter, export.HeaderIndex);
        var written = videos.Where(v => v is [{ } id, ..] && id.StartsWith("vid-", StringComparison.Ordinal)).Select(v => v![0]).ToList();
        Assert.That(written, Is.EquivalentTo(values.Values.Select(v => v.VideoId)), $"seed {seed}: each recipient got its own video, and only those the ledger has");
    }

    [TestCase(7)]
    [TestCase(11)]
    [TestCase(23)]
    [Category("Integration")]
    public async Task A_run_over_a_generated_export_changes_only_the_video_cells(int seed)
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("welcome.sbn", "Hi {{ first_name }}!");
        var export = Export.Generate(new Random(seed), nonEmptyNames: true);
        var path = harness.Folder.WriteBytes("contacts.csv", export.Bytes);

        var summary = await harness.RunAsync(path);

        Assert.That(summary.Rejected, Is.Zero, $"seed {seed}");
        var videos = CsvBytes.AssertOnlyVideoCellsChanged(export.Bytes, File.ReadAllBytes(path), export.Delimiter, export.HeaderIndex);
        Assert.That(videos.Count(v => v is [{ Length: > 0 }, "completed", { Length: > 0 }]), Is.EqualTo(export.Keys.Count));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(export.Keys.Count));
    }

    private sealed record Export(byte[] Bytes, char Delimiter, int HeaderIndex, List<string> Keys)
    {
        public static Export Generate(Random random, bool nonEmptyNames = false)
        {
            var delimiter = new[] { ',', ';', '\t' }[random.Next(3)];
            var quoteAll = random.Next(4) == 0;
            var text = new StringBuilder();
            var bom = random.Next(2) == 0;
            var sepLine = random.Next(3) == 0;
            var finalBreak = random.Next(3) != 0;
            var previousEnd = "";
            string End()
            {
                // "\n" right after a lone "\r" would read as one CRLF: no generator can write that apart.
                string[] ends = previousEnd == "\r" ? ["\r\n", "\r", "\r\r\n"] : ["\n", "\r\n", "\r", "\r\r\n"];
                return previousEnd = ends[random.Next(ends.Length)];
            }

            if (sepLine)
            {
                text.Append("sep=").Append(delimiter).Append(End());
            }

            // "\r\r\n" is a line break and a blank line, a record of its own.
            var headerIndex = sepLine ? (previousEnd == "\r\r\n" ? 2 : 1) : 0;

            List<string> columns = ["id", "first_name", .. Enumerable.Range(1, random.Next(1, 4)).Select(i => $"c{i}")];
            var existing = random.Next(2) == 0;
            if (existing)
            {
                columns.InsertRange(random.Next(2, columns.Count + 1), ["video_id", "video_status", "video_url"]);
            }

            text.Append(string.Join(delimiter, columns.Select(c => Cell(c)))).Append(End());
            var keys = new List<string>();
            var rows = random.Next(1, 16);
            for (var r = 0; r < rows; r++)
            {
                if (random.Next(6) == 0)
                {
                    text.Append(random.Next(2) == 0 ? "" : new string(delimiter, columns.Count - 1)).Append(previousEnd == "\r" ? "\r\n" : End());
                }

                var key = $"K-{r + 1}";
                keys.Add(key);
                var cells = columns.Select(c => c switch
                {
                    "id" => key,
                    "first_name" => nonEmptyNames ? "Name" + r : Words[random.Next(Words.Length)],
                    "video_id" => nonEmptyNames || random.Next(2) == 0 ? "" : "old-" + r,
                    "video_status" or "video_url" => random.Next(2) == 0 ? "" : "processing",
                    _ => Words[random.Next(Words.Length)],
                }).ToList();
                // A short last row without a final line break looks cut off (tested on its own): not generated here.
                var keep = random.Next(5) == 0 && (r < rows - 1 || finalBreak) ? random.Next(2, cells.Count) : cells.Count;
                text.Append(string.Join(delimiter, cells.Take(keep).Select(Cell)));
                if (r < rows - 1 || finalBreak)
                {
                    text.Append(End());
                }
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            return new Export(bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes, delimiter, headerIndex, keys);

            string Cell(string value)
            {
                var must = value.AsSpan().IndexOfAny([delimiter, '"', '\r', '\n']) >= 0;
                return must || quoteAll || random.Next(5) == 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
            }
        }
    }
}
