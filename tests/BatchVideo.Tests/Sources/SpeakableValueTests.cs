using System.Text;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sources;

/// <summary>
/// What a template reads must be speakable (issue 22, item 1): a cell with no letter or digit once the
/// invisible and control characters are gone is empty, with the empty cell's hints and Defaults; a final
/// Ctrl-Z is the file's end, not a row or a character; UTF-16 without a byte order mark is named.
/// </summary>
[TestFixture]
public sealed class SpeakableValueTests
{
    private static readonly string[] Headers = ["id", "First Name", "company"];

    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown() => folder.Dispose();

    private static RenderResult Render(string firstName, Dictionary<string, string>? defaults = null) =>
        new ScriptRenderer(ScriptTemplate.Parse("Hi {{ first_name }}!", "t.sbn"), null, Headers, [], defaults).Render(["1", firstName, "Acme"], "1", "welcome");

    [TestCase("🎉🎉")]
    [TestCase("👋🏽")]
    [TestCase("❤️")]
    [TestCase("★ ★ ★")]
    [TestCase("???")]
    [TestCase("-")]
    [TestCase("🇩🇪")]
    [TestCase("\u0000🎉\u0000")]
    public void Cell_without_a_letter_or_digit_is_rejected_as_empty_and_quoted_as_written(string cell)
    {
        var result = Render(cell);

        Assert.That(result.Problem, Is.Not.Null, $"'{cell}' would be spoken");
        Assert.That(result.Problem!.Column, Is.EqualTo("First Name"));
        Assert.That(result.Problem.Code, Is.EqualTo("empty_column"));
        Assert.That(result.Problem.Reason, Does.StartWith($"column 'First Name' has no letter or digit to speak ({CellQuote.Of(cell)}) but t.sbn uses it").And.Contain("Defaults"));
    }

    [TestCase("\u0000\u0000\u0000")]
    [TestCase("\u001A")]
    [TestCase("\u200F\u0007\u200B")]
    public void Cell_of_invisible_and_control_characters_only_is_empty(string cell) =>
        Assert.That(Render(cell).Problem!.Reason, Does.StartWith("column 'First Name' is empty but t.sbn uses it"));

    [Test]
    public void Defaults_stand_in_for_a_cell_of_symbols_as_for_an_empty_one() =>
        Assert.That(Render("🎉", new Dictionary<string, string> { ["first_name"] = "there" }).Script, Is.EqualTo("Hi there!"));

    [TestCase("Ann\u0000\u0000\u0000", "Hi Ann!")]
    [TestCase("\u0000Ann\u001A", "Hi Ann!")]
    [TestCase("Zoë 🎉", "Hi Zoë 🎉!")]
    [TestCase("李", "Hi 李!")]
    [TestCase("نور", "Hi نور!")]
    [TestCase("R2", "Hi R2!")]
    [TestCase("An\u0007n", "Hi Ann!")]
    public void Names_with_a_letter_are_spoken_without_their_control_characters(string cell, string script) =>
        Assert.That(Render(cell).Script, Is.EqualTo(script));

    [Test]
    public void Key_of_NUL_padding_only_is_an_empty_key() =>
        Assert.That(CellText.IsBlank("\u0000\u0000 "), Is.True);

    [TestCase("id,first_name,company\r\n1,Ann,Acme\r\n2,Erin,Walsh Crafts\r\n\u001A")]
    [TestCase("id,first_name,company\r\n1,Ann,Acme\r\n2,Erin,Walsh Crafts\u001A")]
    [TestCase("id,first_name,company\r\n1,Ann,Acme\r\n2,Erin,\"Walsh Crafts\"\u001A")]
    [TestCase("id,first_name,company\n1,Ann,Acme\n2,Erin,Walsh Crafts\n\u001A")]
    public async Task Final_ctrl_z_is_the_end_of_the_file_not_a_row_nor_a_character(string text)
    {
        var path = folder.Write("c.csv", text);

        var rows = await ReadAll(CsvContactSource.Open(path, "id"));

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows.Select(r => r.Problem), Is.All.Null);
        Assert.That(rows[1].Values, Is.EqualTo(new[] { "2", "Erin", "Walsh Crafts" }));
    }

    [Test]
    public async Task Write_back_keeps_the_final_ctrl_z_after_the_new_cells()
    {
        var path = folder.Write("c.csv", "id,first_name\r\n1,Ann\r\n2,Erin\u001A");
        var source = CsvContactSource.Open(path, "id");

        await source.WriteBackAsync(
            (keys, _) => Task.FromResult<IReadOnlyDictionary<string, WriteBackValues>>(keys.ToDictionary(k => k, k => new WriteBackValues("v" + k, "completed", "u" + k))),
            CancellationToken.None);

        Assert.That(File.ReadAllText(path), Is.EqualTo("id,first_name,video_id,video_status,video_url\r\n1,Ann,v1,completed,u1\r\n2,Erin,v2,completed,u2\u001A"));
    }

    [TestCase("utf-16LE", "little-endian")]
    [TestCase("utf-16BE", "big-endian")]
    public void UTF16_without_a_byte_order_mark_is_refused_by_name(string encoding, string order)
    {
        var path = folder.WriteBytes("c.csv", Encoding.GetEncoding(encoding).GetBytes("id,first_name\r\n1,Ann\r\n2,José\r\n"));

        var error = Assert.Throws<SourceException>(() => CsvContactSource.Open(path, "id"));

        Assert.That(error!.Message, Is.EqualTo($"{path} is UTF-16 ({order}) encoded without a byte order mark (a NUL byte beside every letter); save it as UTF-8 (\"CSV UTF-8\" in Excel) and run again."));
    }

    [Test]
    public async Task A_few_NUL_bytes_in_a_UTF8_file_are_no_encoding()
    {
        var path = folder.Write("c.csv", "id,first_name\n1,Ann\u0000\u0000\u0000\n2,Bo\n");

        var rows = await ReadAll(CsvContactSource.Open(path, "id"));

        Assert.That(rows, Has.Count.EqualTo(2));
    }

    private static async Task<List<SourceRow>> ReadAll(CsvContactSource source)
    {
        var rows = new List<SourceRow>();
        await foreach (var row in source.ReadRowsAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
