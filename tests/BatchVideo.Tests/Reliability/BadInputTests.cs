using System.Text;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Reliability;

/// <summary>
/// The bad-input corpus (Reliability/Corpus, see its README) through the real executable: each input
/// ends with a clear message, the good rows are still processed, and the file keeps its own bytes.
/// </summary>
[TestFixture]
[Category("Reliability")]
[Category("Integration")]
public sealed class BadInputTests
{
    private static string Corpus(string name) =>
        Path.Combine(Repository.Root, "tests", "BatchVideo.Tests", "Reliability", "Corpus", name);

    private static async Task<(PipelineHarness Harness, string Csv, byte[] Original)> StartWithAsync(string corpusFile)
    {
        var harness = await PipelineHarness.StartAsync();
        var original = File.ReadAllBytes(Corpus(corpusFile));
        var csv = harness.Folder.WriteBytes("contacts.csv", original);
        return (harness, csv, original);
    }

    private static Task<CliResult> RunAsync(PipelineHarness harness) =>
        harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--quiet");

    [Test]
    public async Task Truncated_file_processes_the_whole_rows_and_keeps_the_cut_one_as_it_was()
    {
        var (harness, csv, original) = await StartWithAsync("truncated.csv");
        await using var _ = harness;

        var result = await RunAsync(harness);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("line 4, key C-3: rejected: has 2 fields, the header has 3"));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(2));
        AssertOriginalBytesKept(original, File.ReadAllBytes(csv), completedRows: 2);
    }

    [Test]
    public async Task Unbalanced_quotes_reject_their_rows_only()
    {
        var (harness, csv, original) = await StartWithAsync("unbalanced-quotes.csv");
        await using var _ = harness;

        var result = await RunAsync(harness);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        Assert.That(result.Output, Does.Not.Contain("key C-2"), "a quote inside an unquoted cell is a character, as Excel reads it");
        Assert.That(result.Output + result.Error, Does.Contain("line 5, key C-4: rejected: column 'first_name' opens a quote that is never closed"));
        Assert.That(harness.CreatedMarkers(), Has.Count.EqualTo(3), "C-1, C-2 and C-3 get their videos");
        AssertOriginalBytesKept(original, File.ReadAllBytes(csv), completedRows: 3);
    }

    [Test]
    public async Task File_in_another_encoding_stops_before_any_request_naming_line_and_byte()
    {
        var (harness, csv, original) = await StartWithAsync("latin1.csv");
        await using var _ = harness;

        var result = await RunAsync(harness);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("contacts.csv line 3 (byte").And.Contain("is not valid UTF-8"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
        Assert.That(File.ReadAllBytes(csv), Is.EqualTo(original));
    }

    [Test]
    public async Task Header_naming_a_read_variable_twice_stops_before_any_request()
    {
        var (harness, csv, original) = await StartWithAsync("duplicate-header.csv");
        await using var _ = harness;

        var result = await RunAsync(harness);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("'first_name' used by").And.Contain("is the name of 2 columns of").And.Contain("'first_name' and 'First_Name'"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
        Assert.That(File.ReadAllBytes(csv), Is.EqualTo(original));
    }

    [Test]
    public async Task Empty_file_stops_before_any_request()
    {
        var (harness, csv, _) = await StartWithAsync("empty.csv");
        await using var __ = harness;

        var result = await RunAsync(harness);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("contacts.csv is empty"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
        Assert.That(new FileInfo(csv).Length, Is.Zero);
    }

    [Test]
    public async Task Template_that_never_ends_rejects_each_row_with_the_loop_limit_and_sends_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.WriteBytes("welcome.sbn", File.ReadAllBytes(Corpus("infinite-loop.sbn")));
        var csv = harness.WriteCsv(3);
        var original = File.ReadAllBytes(csv);

        var result = await RunAsync(harness);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        foreach (var (line, key) in new[] { (2, "C-1"), (3, "C-2"), (4, "C-3") })
        {
            Assert.That(result.Output, Does.Match($@"line {line}, key {key}: rejected: welcome\.sbn:1:\d+: .*limit"));
        }

        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
        AssertOriginalBytesKept(original, File.ReadAllBytes(csv), completedRows: 0);
    }

    [Test]
    public async Task Ten_megabyte_field_is_kept_byte_for_byte_and_only_a_script_carrying_it_is_rejected()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var huge = new string('x', 10 * 1024 * 1024);
        var text = new StringBuilder("id,first_name,company,notes\n")
            .Append("C-1,Ann,Acme,short\n")
            .Append("C-2,Bob,\"").Append(huge).Append("\",short\n")
            .Append("C-3,Cy,Gamma,\"").Append(huge).Append("\"\n")
            .Append("C-4,Dee,Delta,short\n");
        var csv = harness.Folder.Write("contacts.csv", text.ToString());
        var original = File.ReadAllBytes(csv);

        var result = await RunAsync(harness);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        Assert.That(result.Output, Does.Match(@"line 3, key C-2: rejected: .*(characters|limit)"), "the script would carry the 10 MB company");
        Assert.That(harness.CreatedMarkers(), Has.Count.EqualTo(3), "C-1, C-3 (the big field is not in its script) and C-4");
        AssertOriginalBytesKept(original, File.ReadAllBytes(csv), completedRows: 3);
    }

    [TestCase("contacts\"; DROP TABLE contacts; --", "Table", "does not exist")]
    [TestCase("contacts", "Columns", "is not in table")]
    [TestCase("contacts", "Filter", "single SQL condition")]
    public async Task Hostile_identifiers_in_table_configuration_stop_at_start_and_leave_the_table_alone(string table, string hostile, string expected)
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        var before = await database.QueryAsync<string>("SELECT id || '|' || coalesce(first_name, '') || '|' || coalesce(company, '') FROM contacts ORDER BY id");
        harness.UseTable(database, table, change: c =>
        {
            var source = c["Campaigns"]!["welcome"]!["Source"]!.AsObject();
            if (hostile == "Columns")
            {
                source["Columns"] = new System.Text.Json.Nodes.JsonArray("first_name\" FROM contacts; DROP TABLE contacts; --");
            }
            else if (hostile == "Filter")
            {
                source["Filter"] = "1 = 1; DROP TABLE contacts";
            }
        });

        var result = await harness.RunCliAsync("run", "--config", harness.ConfigPath, "--quiet");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain(expected));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
        Assert.That(await database.QueryAsync<string>("SELECT id || '|' || coalesce(first_name, '') || '|' || coalesce(company, '') FROM contacts ORDER BY id"), Is.EqualTo(before));
    }

    /// <summary>
    /// Every line of the original is still there, byte for byte: as it was (a rejected or unreadable
    /// row), or followed by the appended video cells; <paramref name="completedRows"/> of them completed.
    /// </summary>
    private static void AssertOriginalBytesKept(byte[] original, byte[] final, int completedRows)
    {
        var before = Encoding.UTF8.GetString(original).Split('\n');
        var after = Encoding.UTF8.GetString(final).Split('\n');
        Assert.That(after, Has.Length.EqualTo(before.Length), "same number of lines");
        Assert.That(after[0], Is.EqualTo(before[0] + ",video_id,video_status,video_url"));
        var completed = 0;
        for (var i = 1; i < before.Length; i++)
        {
            Assert.That(after[i] == before[i] || after[i].StartsWith(before[i] + ",", StringComparison.Ordinal), Is.True, $"line {i + 1} keeps its bytes");
            if (after[i].Contains(",completed,http", StringComparison.Ordinal))
            {
                completed++;
            }
        }

        Assert.That(completed, Is.EqualTo(completedRows));
    }
}
