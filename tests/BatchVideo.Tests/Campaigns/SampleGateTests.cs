using System.Text.Json;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>run --sample, approve, and the campaigns that send nothing beyond their sample until approved.</summary>
[TestFixture]
[Category("Integration")]
public sealed class SampleGateTests
{
    [Test]
    public async Task Sample_of_5_then_approve_then_run_creates_the_other_55_and_nothing_twice()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        RequireApproval(harness, sink.Url);
        harness.WriteCsv(60);

        var sample = await Run(harness, "--sample", "5");
        var createdBySample = harness.Sandbox.Stats.VideosCreated;
        var sampleRows = await File.ReadAllLinesAsync(harness.Folder.File("contacts.csv"));
        var page = await File.ReadAllTextAsync(ReviewPage(sample.Output));
        var unapproved = await Run(harness);
        var createdBeforeApproval = harness.Sandbox.Stats.VideosCreated;
        var approve = await harness.RunCliAsync("approve", "--config", harness.ConfigPath);
        var full = await Run(harness);
        var again = await Run(harness);

        Assert.That(sample.ExitCode, Is.Zero, sample.Output + sample.Error);
        Assert.That(createdBySample, Is.EqualTo(5));
        Assert.That(sample.Output, Does.Contain("Sample: 5 row(s) created").And.Contain("Next, after watching them:").And.Contain($"    batchvideo approve --campaign welcome --config {harness.ConfigPath}\n"));
        Assert.That(sampleRows.Count(r => r.Contains(",completed,", StringComparison.Ordinal)), Is.EqualTo(5), "sample rows are written back");
        foreach (var key in new[] { "C-1", "C-2", "C-3", "C-4", "C-5" })
        {
            Assert.That(page, Does.Contain($"data-key=\"{key}\" data-name=\"Name{key[2..]}\" data-status=\"completed\""), "the review page names the sample");
        }

        Assert.That(page.Split("<tr data-line").Length - 1, Is.EqualTo(5), "only the sample's rows");
        Assert.That(unapproved.ExitCode, Is.EqualTo(1), unapproved.Output + unapproved.Error);
        Assert.That(unapproved.Output, Does.Contain("awaits approval"));
        Assert.That(createdBeforeApproval, Is.EqualTo(5), "nothing beyond the sample before approval");
        Assert.That(approve.ExitCode, Is.Zero, approve.Output + approve.Error);
        Assert.That(approve.Output, Does.Contain("Approved campaign welcome: its sample of 5 row(s)"));
        Assert.That(full.ExitCode, Is.Zero, full.Output + full.Error);
        Assert.That(full.Output, Does.Contain("already done             5").And.Contain("submitted               55"));
        Assert.That(again.Output, Does.Contain("already done            60"));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(60));
        Assert.That(harness.CreatedMarkers(), Is.Unique, "one video per recipient");
        Assert.That((await File.ReadAllLinesAsync(harness.Folder.File("contacts.csv"))).Count(r => r.Contains(",completed,", StringComparison.Ordinal)), Is.EqualTo(60));
        var events = sink.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event").GetString()).ToList();
        Assert.That(events, Is.EqualTo(new[] { "sample_awaits_approval", "run_stopped", "run_finished", "run_finished" }));
    }

    [Test]
    public async Task Changed_template_after_approval_asks_for_a_new_sample()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        RequireApproval(harness);
        harness.WriteCsv(6);
        await Run(harness, "--sample", "2");
        await harness.RunCliAsync("approve", "--config", harness.ConfigPath);
        harness.Folder.Write("welcome.sbn", "Hello {{ first_name }}, a new script for {{ company }}.");

        var changed = await Run(harness);
        var approve = await harness.RunCliAsync("approve", "--config", harness.ConfigPath);
        var sample = await Run(harness, "--sample", "1");
        var approveNew = await harness.RunCliAsync("approve", "--config", harness.ConfigPath);
        var full = await Run(harness);

        Assert.That(changed.ExitCode, Is.EqualTo(1));
        Assert.That(changed.Output, Does.Contain("changed (template, title, avatar look, voice or framing) since its sample"));
        Assert.That(approve.ExitCode, Is.EqualTo(2), "the old sample does not approve the new template");
        Assert.That(approve.Error, Does.Contain("make a new sample"));
        Assert.That(sample.Output, Does.Contain("Sample: 1 row(s) created"));
        Assert.That(approveNew.ExitCode, Is.Zero, approveNew.Error);
        Assert.That(full.ExitCode, Is.Zero, full.Output + full.Error);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(6), "2 + 1 samples, then the other 3");
        Assert.That(harness.CreatedMarkers(), Is.Unique);
    }

    [Test]
    public async Task Sample_keys_create_exactly_those_rows_and_approve_without_a_sample_is_refused()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        harness.WriteCsv(8);

        var early = await harness.RunCliAsync("approve", "--config", harness.ConfigPath);
        var sample = await Run(harness, "--sample-keys", "C-3,C-7");

        Assert.That(early.ExitCode, Is.EqualTo(2));
        Assert.That(early.Error, Does.Contain("has no sample to approve"));
        Assert.That(sample.ExitCode, Is.Zero, sample.Output + sample.Error);
        Assert.That(sample.Output, Does.Contain($"  Next:\n    batchvideo run --csv contacts.csv --config {harness.ConfigPath} --quiet\n"), "the same run without its --sample-keys, to paste");
        Assert.That(harness.Sandbox.Videos.Select(v => v.Title), Is.EquivalentTo(new[] { "Welcome Name3", "Welcome Name7" }).Using<string?, string>((title, expected) => title!.StartsWith(expected + " [", StringComparison.Ordinal)));
    }

    private static void RequireApproval(PipelineHarness harness, Uri? notify = null) => harness.WriteConfig(c =>
    {
        c["Campaigns"]!["welcome"]!["RequireApproval"] = true;
        if (notify is not null)
        {
            c["Notifications"] = new System.Text.Json.Nodes.JsonObject { ["WebhookUrl"] = notify.AbsoluteUri };
        }
    });

    private static Task<CliResult> Run(PipelineHarness harness, params string[] extra) =>
        harness.RunCliAsync(["run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--quiet", .. extra]);

    private static string ReviewPage(string output) =>
        output.Split('\n').Single(l => l.StartsWith("Review page: ", StringComparison.Ordinal))["Review page: ".Length..].Trim();
}

/// <summary>The sample gate on a table campaign (the scheduled kind), on SQLite.</summary>
[TestFixture]
[Category("Integration")]
[Category("Relational")]
public sealed class TableSampleGateTests
{
    [Test]
    public async Task Table_sample_creates_its_rows_and_the_approved_run_the_rest_once()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c => c["Campaigns"]!["welcome"]!["RequireApproval"] = true);

        var sample = await harness.RunCliAsync("run", "--config", harness.ConfigPath, "--quiet", "--sample", "3");
        var createdBySample = harness.Sandbox.Stats.VideosCreated;
        var unapproved = await harness.RunCliAsync("run", "--config", harness.ConfigPath, "--quiet");
        var createdBeforeApproval = harness.Sandbox.Stats.VideosCreated;
        await harness.RunCliAsync("approve", "--config", harness.ConfigPath);
        var full = await harness.RunCliAsync("run", "--config", harness.ConfigPath, "--quiet");

        Assert.That(sample.Output, Does.Contain("Sample: 3 row(s) created"), sample.Output + sample.Error);
        Assert.That(createdBySample, Is.EqualTo(3));
        Assert.That(unapproved.Output, Does.Contain("awaits approval"), unapproved.Output + unapproved.Error);
        Assert.That(createdBeforeApproval, Is.EqualTo(3));
        Assert.That(full.Output, Does.Contain("completed               19"), full.Output + full.Error);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(22), "every active row with a first name, once");
        Assert.That(harness.CreatedMarkers(), Is.Unique);
    }
}
