using System.Text.Json.Nodes;
using BatchVideo.Campaigns;
using BatchVideo.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// One person, one video: invisible characters do not make a name or a new person, an e-mail key is one
/// person in any case, and ids Excel reformatted are refused before anything is paid.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class OnePersonOneVideoTests
{
    [Test]
    public async Task Names_blank_to_the_eye_reject_their_rows_and_a_name_padded_with_no_break_spaces_is_trimmed()
    {
        await using var harness = await CaseHarness.StartAsync("06-invisible-whitespace-names");

        var summary = await harness.RunAsync(harness.Folder.File("input.csv"));

        Assert.That(summary.Problems.Select(p => p.Line), Is.EqualTo(new[] { 3L, 4L, 5L }));
        Assert.That(summary.Problems.Select(p => p.Reason), Has.All.StartWith("column 'first_name' is empty but template.sbn uses it;"));
        Assert.That(harness.Sandbox.Videos.Select(v => v.Script!.Split('!')[0]).Order(), Is.EqualTo(new[] { "Hi Dana", "Hi Omar" }));
    }

    [Test]
    public async Task Keys_in_Excel_scientific_notation_are_refused_and_the_corrected_export_pays_once()
    {
        await using var harness = await CaseHarness.StartAsync("14-excel-scientific-notation-ids");

        var mangled = await harness.RunAsync(harness.Folder.File("input.csv"));

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(1), "only Eli, whose id survived");
        Assert.That(mangled.Problems.Select(p => p.Line), Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(mangled.Problems.Select(p => p.Code).Distinct(), Is.EqualTo(new[] { "excel_number" }));
        Assert.That(mangled.Problems[0].Reason, Does.Contain("'1.23457E+11' is a number Excel reformatted in scientific notation").And.Contain("as text"));

        await harness.RunAsync(harness.Folder.File("minimal.csv"));
        await harness.RunAsync(harness.Folder.File("minimal-fixed.csv"));
        await harness.RunAsync(harness.Folder.File("minimal-fixed.csv"));

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(3), "Bea and Carl once each, after the fix");
    }

    [Test]
    public async Task Same_email_in_another_case_or_with_invisible_spaces_is_one_person_across_rows_and_runs()
    {
        await using var harness = await StartEmailKeyedAsync();
        var csv = harness.Folder.Write("contacts.csv", "Email,first_name,company\nAnn@Example.com,Ann,Acme\n\u00A0ann@example.COM\u200B,Ann,Acme\nbo@example.com,Bo,Beta\n");

        var first = await harness.RunAsync(csv);
        var again = await harness.RunAsync(harness.Folder.Write("reexport.csv", "Email,first_name,company\nANN@EXAMPLE.COM,Ann,Acme\nBo@Example.com ,Bo,Beta\n"));

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(2));
        Assert.That(first.Problems.Single().Reason, Is.EqualTo("duplicate key 'ann@example.com' (first at line 2)"));
        Assert.That(first.Problems.Single().Line, Is.EqualTo(3));
        Assert.That(again.AlreadyDone, Is.EqualTo(2));
    }

    [Test]
    public async Task Exact_comparison_keeps_keys_as_written()
    {
        await using var harness = await StartEmailKeyedAsync(c => c["Campaigns"]!["welcome"]!["KeyComparison"] = "exact");
        var csv = harness.Folder.Write("contacts.csv", "Email,first_name,company\nAnn@Example.com,Ann,Acme\nann@example.com,Ann,Acme\n");

        await harness.RunAsync(csv);

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(2));
    }

    [Test]
    public async Task Migration_6_folds_recorded_email_keys_so_their_people_are_still_found()
    {
        await using var harness = await StartEmailKeyedAsync();
        await harness.RunAsync(harness.Folder.Write("contacts.csv", "Email,first_name,company\nann@example.com,Ann,Acme\n"));
        // As an earlier BatchVideo recorded it: the key as written, and no migration 6 yet.
        await using (var connection = new SqliteConnection($"Data Source={harness.Folder.File("ledger.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ledger_entries SET recipient_key = 'Ann@Example.com'; DELETE FROM batchvideo_migrations WHERE version = 6;";
            await command.ExecuteNonQueryAsync();
        }

        var rerun = await harness.RunAsync(harness.Folder.Write("reexport.csv", "Email,first_name,company\nANN@example.com,Ann,Acme\n"));

        Assert.That(rerun.AlreadyDone, Is.EqualTo(1));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(1));
    }

    [Test]
    public void Normalize_trims_invisible_characters_and_folds_e_mail_addresses()
    {
        Assert.That(RecipientKeys.Normalize("\u200B C-1\u00A0\uFEFF", null), Is.EqualTo("C-1"));
        Assert.That(RecipientKeys.Normalize(" Ann@Example.COM ", null), Is.EqualTo("ann@example.com"));
        Assert.That(RecipientKeys.Normalize(" Ann@Example.COM ", "trimmed"), Is.EqualTo("Ann@Example.COM"));
        Assert.That(RecipientKeys.Normalize(" AB-1 ", "email"), Is.EqualTo("ab-1"));
        Assert.That(RecipientKeys.Normalize(" Ann ", "exact"), Is.EqualTo(" Ann "));
        Assert.That(RecipientKeys.IsExcelScientific("1.23457E+11"), Is.True);
        Assert.That(RecipientKeys.IsExcelScientific("4E+09"), Is.True);
        Assert.That(RecipientKeys.IsExcelScientific("E-1101"), Is.False);
        Assert.That(RecipientKeys.IsExcelScientific("123456789012"), Is.False);
    }

    private static async Task<PipelineHarness> StartEmailKeyedAsync(Action<JsonObject>? change = null)
    {
        var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["welcome"]!["KeyColumn"] = "Email";
            change?.Invoke(c);
        });
        return harness;
    }
}
