using System.Text;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sources;

[TestFixture]
public sealed class CsvContactSourceTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown() => folder.Dispose();

    private static async Task<List<SourceRow>> ReadAll(CsvContactSource source)
    {
        var rows = new List<SourceRow>();
        await foreach (var row in source.ReadRowsAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static WriteBackLookup Lookup(Dictionary<string, WriteBackValues> values) =>
        (keys, _) => Task.FromResult<IReadOnlyDictionary<string, WriteBackValues>>(
            keys.Where(values.ContainsKey).ToDictionary(k => k, k => values[k]));

    [Test]
    public async Task Reads_quoted_fields_with_commas_quotes_and_newlines()
    {
        var path = folder.Write("c.csv", "id,name,company\n1,Zoë,\"O'Brien \"\"Fresh\"\", Foods\"\n2,Mei,\"Chen\nTaipei\"\n3,Ana,Silva\n");

        var rows = await ReadAll(CsvContactSource.Open(path, "id"));

        Assert.That(rows.Select(r => r.Values[2]), Is.EqualTo(new[] { "O'Brien \"Fresh\", Foods", "Chen\nTaipei", "Silva" }));
        Assert.That(rows.Select(r => r.Line), Is.EqualTo(new long[] { 2, 3, 5 }));
        Assert.That(rows.All(r => r.Problem is null), Is.True);
    }

    [TestCase(";")]
    [TestCase("\t")]
    [TestCase(",")]
    public async Task Detects_the_delimiter(string delimiter)
    {
        var path = folder.Write("c.csv", $"id{delimiter}name{delimiter}city\n1{delimiter}Jo{delimiter}\"Lyon, FR\"\n2{delimiter}Al{delimiter}Oslo\n");

        var source = CsvContactSource.Open(path, "id");
        var rows = await ReadAll(source);

        Assert.That(source.Delimiter, Is.EqualTo(delimiter[0]));
        Assert.That(source.Columns, Is.EqualTo(new[] { "id", "name", "city" }));
        Assert.That(rows[0].Values[2], Is.EqualTo("Lyon, FR"));
    }

    [Test]
    public async Task Reads_UTF8_with_BOM_and_keeps_the_BOM_on_write_back()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("id,name\r\n1,Amélie\r\n")).ToArray();
        var path = folder.WriteBytes("c.csv", bytes);
        var source = CsvContactSource.Open(path, "id");

        var rows = await ReadAll(source);
        await source.WriteBackAsync(Lookup(new() { ["1"] = new("v1", "completed", "https://x/1.mp4") }), CancellationToken.None);

        Assert.That(source.Columns[0], Is.EqualTo("id"));
        Assert.That(rows[0].Values[1], Is.EqualTo("Amélie"));
        var written = File.ReadAllBytes(path);
        Assert.That(written.Take(3), Is.EqualTo(Encoding.UTF8.GetPreamble()));
        Assert.That(Encoding.UTF8.GetString(written, 3, written.Length - 3),
            Is.EqualTo("id,name,video_id,video_status,video_url\r\n1,Amélie,v1,completed,https://x/1.mp4\r\n"));
    }

    [Test]
    public async Task Write_back_of_a_file_ending_in_an_unclosed_quote_keeps_its_bytes()
    {
        var text = "id,name\n1,Ann\n2,\"Bo,b\n";
        var path = folder.Write("c.csv", text);

        await CsvContactSource.Open(path, "id").WriteBackAsync(Lookup(new() { ["1"] = new("v1", "completed", "u1") }), CancellationToken.None);

        Assert.That(File.ReadAllText(path), Is.EqualTo("id,name,video_id,video_status,video_url\n1,Ann,v1,completed,u1\n2,\"Bo,b\n"));
    }

    [Test]
    public async Task Write_back_removes_the_temp_file_a_killed_write_back_left_and_nothing_else()
    {
        var path = folder.Write("c.csv", "id,name\n1,Ann\n");
        var abandoned = folder.Write($".c.csv.{Guid.NewGuid():N}.tmp", "id,name,video_id\n1,An");
        var unrelated = folder.Write(".c.csv.notes.tmp", "mine");

        await CsvContactSource.Open(path, "id").WriteBackAsync(Lookup([]), CancellationToken.None);

        Assert.That(File.Exists(abandoned), Is.False);
        Assert.That(File.Exists(unrelated), Is.True);
    }

    [Test]
    public async Task Write_back_keeps_every_other_byte_of_the_file()
    {
        const string original = "id;name;note\n7;\"Quoted\";=SUM(A1:A3)\n8;Plain;\"multi\nline; with ;\"\n\n9;Last;+1\n";
        var path = folder.Write("c.csv", original);
        var source = CsvContactSource.Open(path, "id");

        await source.WriteBackAsync(
            Lookup(new() { ["7"] = new("v7", "completed", "https://x/7.mp4"), ["9"] = new("v9", "failed", null) }),
            CancellationToken.None);

        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "id;name;note;video_id;video_status;video_url\n" +
            "7;\"Quoted\";=SUM(A1:A3);v7;completed;https://x/7.mp4\n" +
            "8;Plain;\"multi\nline; with ;\";;;\n" +
            "\n" +
            "9;Last;+1;v9;failed;\n"));
    }

    [Test]
    public async Task Second_write_back_updates_the_video_columns_in_place()
    {
        var path = folder.Write("c.csv", "id,name,video_id,video_status,video_url\n1,\"Jo, Jr\",v1,processing,\n2,Al,,,\n");
        var source = CsvContactSource.Open(path, "id");

        var result = await source.WriteBackAsync(Lookup(new() { ["1"] = new("v1", "completed", "https://x/1.mp4") }), CancellationToken.None);

        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "id,name,video_id,video_status,video_url\n1,\"Jo, Jr\",v1,completed,https://x/1.mp4\n2,Al,,,\n"));
        Assert.That(result.WrittenKeys, Is.EqualTo(new[] { "1" }));
    }

    [Test]
    public async Task Rows_already_holding_a_video_id_say_so()
    {
        var path = folder.Write("c.csv", "id,video_id,video_status,video_url\n1,v1,completed,u\n2,,,\n");

        var rows = await ReadAll(CsvContactSource.Open(path, "id"));

        Assert.That(rows.Select(r => r.RecordedVideoId), Is.EqualTo(new[] { "v1", null }));
    }

    [Test]
    public async Task Write_back_to_out_leaves_the_original_untouched_and_has_no_trailing_newline_added()
    {
        const string original = "id,name\n1,Jo";
        var path = folder.Write("c.csv", original);
        var output = folder.File("out.csv");

        await CsvContactSource.Open(path, "id", outPath: output)
            .WriteBackAsync(Lookup(new() { ["1"] = new("v1", "completed", "u1") }), CancellationToken.None);

        Assert.That(File.ReadAllText(path), Is.EqualTo(original));
        Assert.That(File.ReadAllText(output), Is.EqualTo("id,name,video_id,video_status,video_url\n1,Jo,v1,completed,u1"));
        Assert.That(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task Row_with_too_many_fields_is_a_problem_and_a_short_row_is_read_padded()
    {
        var path = folder.Write("c.csv", "id,name,city\n1,Jo\n2,Al,Oslo,extra\n3,Ok,Rome\n");
        var source = CsvContactSource.Open(path, "id");

        var rows = await ReadAll(source);
        await source.WriteBackAsync(Lookup(new() { ["1"] = new("v1", "completed", "u1"), ["3"] = new("v3", "completed", "u3") }), CancellationToken.None);

        Assert.That(rows[0].Problem, Is.Null, "Excel leaves out the delimiters of empty last cells");
        Assert.That(rows[0].Values, Is.EqualTo(new[] { "1", "Jo", "" }));
        Assert.That(rows[1].Problem, Is.EqualTo("has 4 fields, the header has 3"));
        Assert.That(rows[2].Problem, Is.Null);
        Assert.That(File.ReadAllText(path), Is.EqualTo("id,name,city,video_id,video_status,video_url\n1,Jo,,v1,completed,u1\n2,Al,Oslo,extra\n3,Ok,Rome,v3,completed,u3\n"));
    }

    [Test]
    public async Task Short_last_row_of_a_file_without_a_final_line_break_is_a_cut_off_row()
    {
        var path = folder.Write("c.csv", "id,name,city\n1,Jo,Rome\n2,A");

        var rows = await ReadAll(CsvContactSource.Open(path, "id"));

        Assert.That(rows[1].Problem, Is.EqualTo("has 2 fields, the header has 3; the file ends in the middle of this row, so it looks truncated"));
    }

    [Test]
    public async Task Updated_row_keeps_its_own_record_end_and_the_raw_bytes_of_every_other_cell()
    {
        const string original = "id,zip,video_id,video_status,video_url\r\r\n1,\"01010\",,,\n2,\"02116\",\"\",\"\",\"\"\r\n";
        var path = folder.Write("c.csv", original);

        await CsvContactSource.Open(path, "id").WriteBackAsync(
            Lookup(new() { ["1"] = new("v1", "completed", "u,1"), ["2"] = new("v2", "completed", "u2") }), CancellationToken.None);

        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "id,zip,video_id,video_status,video_url\r\r\n1,\"01010\",v1,completed,\"u,1\"\n2,\"02116\",\"v2\",\"completed\",\"u2\"\r\n"));
    }

    [Test]
    public async Task Stray_quote_inside_an_unquoted_cell_is_a_character_as_Excel_reads_it()
    {
        var path = folder.Write("c.csv", "id,name\n1,Jo\"hn\n2,Al\n");

        var rows = await ReadAll(CsvContactSource.Open(path, "id"));

        Assert.That(rows.Select(r => (r.Problem, r.Values[1])), Is.EqualTo(new[] { ((string?)null, "Jo\"hn"), (null, "Al") }));
    }

    [Test]
    public void Missing_key_column_is_fatal_and_lists_the_columns()
    {
        var path = folder.Write("c.csv", "email,name\na@b,Jo\n");

        var error = Assert.Throws<SourceException>(() => CsvContactSource.Open(path, "id"));

        Assert.That(error!.Message, Does.Contain("Key column 'id' is not in").And.Contain("email, name"));
    }

    [Test]
    public void Key_column_matches_ignoring_case()
    {
        var path = folder.Write("c.csv", "ID,name\n1,Jo\n");

        Assert.That(CsvContactSource.Open(path, "id").KeyColumn, Is.EqualTo("ID"));
    }

    [Test]
    public void Empty_file_is_fatal() =>
        Assert.That(() => CsvContactSource.Open(folder.Write("c.csv", ""), "id"), Throws.TypeOf<SourceException>().With.Message.Contains("empty"));

    [Test]
    public void Key_column_named_twice_is_fatal() =>
        Assert.That(
            () => CsvContactSource.Open(folder.Write("c.csv", "id,email,Email\n1,a,b\n"), "email"),
            Throws.TypeOf<SourceException>().With.Message.Contains("'email' (columns 2, 3)"));

    [Test]
    public void Invalid_UTF8_is_fatal_with_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes("id,name\n1,Jo\n2,").Concat(new byte[] { 0xE9, 0x74, 0xE9 }).Concat(Encoding.UTF8.GetBytes("\n")).ToArray();

        Assert.That(
            () => CsvContactSource.Open(folder.WriteBytes("c.csv", bytes), "id"),
            Throws.TypeOf<SourceException>().With.Message.Contains("line 3").And.Message.Contains("not valid UTF-8"));
    }

    [Test]
    public void UTF16_is_fatal_with_advice() =>
        Assert.That(
            () => CsvContactSource.Open(folder.WriteBytes("c.csv", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("id\n1\n")).ToArray()), "id"),
            Throws.TypeOf<SourceException>().With.Message.Contains("UTF-16"));

    [Test]
    public void Missing_file_is_fatal() =>
        Assert.That(() => CsvContactSource.Open(folder.File("nope.csv"), "id"), Throws.TypeOf<SourceException>().With.Message.Contains("does not exist"));
}
