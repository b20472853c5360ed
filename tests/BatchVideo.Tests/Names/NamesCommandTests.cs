using System.Text.Json.Nodes;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Names;

/// <summary>The real <c>batchvideo</c> executable: <c>names</c> and <c>preview</c> of a campaign with a respelling.</summary>
[TestFixture]
[Category("Integration")]
public sealed class NamesCommandTests
{
    [Test]
    public async Task Names_prints_the_counts_the_estimate_and_the_page_then_preview_shows_spoken_and_shown()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("respellings.csv", "value,spoken\nSiobhan,Shiv-awn\n");
        NamesHarness.Configure(harness, c => c["Pronunciations"] = new JsonObject { ["File"] = "respellings.csv" });
        NamesHarness.WriteSixtyRows(harness);

        var names = await harness.RunCliAsync("names", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var again = await harness.RunCliAsync("names", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var over = await harness.RunCliAsync("names", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--max-spend", "0.0001");
        var preview = await harness.RunCliAsync("preview", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--row", "C-3");

        Assert.That(names.ExitCode, Is.Zero, names.Output + names.Error);
        Assert.That(names.Output, Does.Contain("Names of campaign welcome: 12 distinct in 60 rows (0 unreadable rows skipped), 1 respelled."));
        Assert.That(names.Output, Does.Contain("  Estimate: $0.0").And.Contain(" for 12 new preview(s), about").And.Contain("at $0.000667 a second"));
        Assert.That(names.Output, Does.Contain("Previews: 12 asked for now").And.Contain("No video was created."));
        Assert.That(names.Output, Does.Match(@"Listening page: .*welcome-\d{8}T\d{6}Z-names(-\d+)?\.html"));
        Assert.That(again.Output, Does.Contain("Previews: 0 asked for now (0 s of audio), 12 already in the ledger"));
        Assert.That(over.Output, Does.Contain("Previews: 0 asked for now (0 s of audio), 12 already in the ledger"), "nothing new, so nothing over the budget");
        Assert.That(harness.Sandbox.Speeches, Has.Count.EqualTo(12));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
        Assert.That(preview.ExitCode, Is.Zero, preview.Output + preview.Error);
        Assert.That(preview.Output, Does.Contain("    | Hi Shiv-awn! Here is a short video for Company 3, Inc."));
        Assert.That(preview.Output, Does.Contain("  shown (as the CRM spells it; the video speaks the respelled lines above):\n    | Hi Siobhan! Here is a short video for Company 3, Inc."));
        Assert.That(preview.Output, Does.Contain("  title:  Welcome Siobhan ["));
    }

    [Test]
    public async Task Names_over_max_spend_exits_1_and_asks_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync();
        NamesHarness.Configure(harness);
        NamesHarness.WriteSixtyRows(harness);

        var over = await harness.RunCliAsync("names", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--max-spend", "0.001");

        Assert.That(over.ExitCode, Is.EqualTo(1));
        Assert.That(over.Error, Does.Contain("more than --max-spend $0.001; nothing was asked for"));
        Assert.That(harness.Sandbox.Speeches, Is.Empty);
    }

    [Test]
    public async Task Bad_name_settings_stop_the_start_each_with_its_path_and_nothing_is_sent()
    {
        await using var harness = await PipelineHarness.StartAsync();
        NamesHarness.Configure(harness, c =>
        {
            c["PronounceSentence"] = "Hi {{ first_name }!";
            c["Pronunciations"] = new JsonObject
            {
                ["File"] = "missing.csv",
                ["Columns"] = new JsonObject { ["company"] = "company_phonetic" },
            };
        });
        NamesHarness.WriteSixtyRows(harness);

        var names = await harness.RunCliAsync("names", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(names.ExitCode, Is.EqualTo(2), names.Output + names.Error);
        Assert.That(names.Error, Does.Contain("Campaigns:welcome:PronounceSentence"));
        Assert.That(names.Error, Does.Contain("Campaigns:welcome:Pronunciations:File '").And.Contain("missing.csv' does not exist"));
        Assert.That(names.Error, Does.Contain("Campaigns:welcome:Pronunciations:Columns:company respells a column that Campaigns:welcome:Pronounce does not list"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }
}
