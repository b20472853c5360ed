using BatchVideo.Campaigns;
using BatchVideo.Names;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Names;

/// <summary>
/// Respellings (<c>Pronunciations</c>) change what is SPOKEN (the script sent, the speech preview) and never what is
/// SHOWN or written back (the title, the CRM row), against the sandbox with real files.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class RespellingTests
{
    private const string Respelled = "Shiv-awn";

    [Test]
    public async Task Run_speaks_the_respelling_in_exactly_the_rows_that_carry_the_name_and_shows_the_CRM_spelling()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("respellings.csv", $"value,spoken\nSiobhan,{Respelled}\n");
        NamesHarness.Configure(harness, c => c["Pronunciations"] = new System.Text.Json.Nodes.JsonObject { ["File"] = "respellings.csv" });
        var csv = NamesHarness.WriteSixtyRows(harness);

        var summary = await harness.RunAsync(csv);
        var videos = harness.Sandbox.Videos;
        var written = await File.ReadAllTextAsync(csv);
        var review = await File.ReadAllTextAsync(summary.ReviewPagePath!);

        Assert.That(summary.Submitted, Is.EqualTo(60));
        var carrying = videos.Where(v => v.Title!.StartsWith("Welcome Siobhan [", StringComparison.Ordinal)).ToList();
        Assert.That(carrying, Has.Count.EqualTo(5), "the titles keep the CRM spelling");
        Assert.That(carrying.Select(v => v.Script), Has.All.StartWith($"Hi {Respelled}!"), "the script sent speaks the respelling");
        Assert.That(videos.Except(carrying).Select(v => v.Script), Has.None.Contains(Respelled).And.None.Contains("Siobhan"), "exactly the rows that carry the name");
        Assert.That(videos.Select(v => v.Title), Has.None.Contains(Respelled));
        Assert.That(written, Does.Not.Contain(Respelled), "the written-back CRM file keeps the name as the CRM spells it");
        Assert.That(review, Does.Not.Contain(Respelled).And.Contain("Hi Siobhan!"), "the review page shows the script as the CRM spells it");
        Assert.That(written.Split('\n').Count(l => l.Contains(",Siobhan,", StringComparison.Ordinal) && l.Contains(",completed,", StringComparison.Ordinal)), Is.EqualTo(5));
    }

    [Test]
    public async Task A_respelling_is_heard_in_the_preview_and_names_asks_again_only_for_the_changed_name()
    {
        await using var harness = await PipelineHarness.StartAsync();
        NamesHarness.Configure(harness, c => c["Pronunciations"] = new System.Text.Json.Nodes.JsonObject { ["File"] = "respellings.csv" });
        harness.Folder.Write("respellings.csv", "value,spoken\n");
        var csv = NamesHarness.WriteSixtyRows(harness);
        await NamesHarness.RunAsync(harness, csv);

        harness.Folder.Write("respellings.csv", $"value,spoken\nSiobhan,{Respelled}\n");
        var again = await NamesHarness.RunAsync(harness, csv);
        var html = await File.ReadAllTextAsync(again.PagePath!);

        Assert.That((again.Asked, again.FromLedger), Is.EqualTo((1, 11)), "only the changed name is asked for again");
        Assert.That(harness.Sandbox.Speeches, Has.Count.EqualTo(13));
        Assert.That(harness.Sandbox.Speeches[^1].Text, Is.EqualTo($"Hi {Respelled}!"), "the preview speaks the respelling");
        Assert.That(html, Does.Contain($"data-value=\"Siobhan\"").And.Contain($"spoken as {Respelled}"), "the page shows both spellings");
    }

    [Test]
    public async Task A_phonetic_column_respells_its_own_row_only()
    {
        await using var harness = await PipelineHarness.StartAsync();
        NamesHarness.Configure(harness, c => c["Pronunciations"] = new System.Text.Json.Nodes.JsonObject
        {
            ["Columns"] = new System.Text.Json.Nodes.JsonObject { ["first_name"] = "first_name_phonetic" },
        });
        var csv = harness.Folder.Write("contacts.csv", "id,first_name,company,first_name_phonetic\nC-1,Niamh,Acme,Neeve\nC-2,Niamh,Acme,\nC-3,Ann,Acme,\n");

        await harness.RunAsync(csv);
        var names = await NamesHarness.RunAsync(harness, csv);

        Assert.That(harness.Sandbox.Videos.Select(v => v.Script), Has.Exactly(1).StartWith("Hi Neeve!").And.Exactly(1).StartWith("Hi Niamh!").And.Exactly(1).StartWith("Hi Ann!"));
        Assert.That(harness.Sandbox.Videos.Single(v => v.Script.StartsWith("Hi Neeve!", StringComparison.Ordinal)).Title, Does.StartWith("Welcome Niamh ["), "the title keeps the CRM spelling");
        Assert.That(names.Names.Names.Select(n => (n.Value, n.SpokenName)), Is.EquivalentTo(new[] { ("Niamh", "Neeve"), ("Niamh", "Niamh"), ("Ann", "Ann") }));
    }

    [Test]
    public void A_changed_respelling_changes_what_a_sample_approved_and_none_keeps_the_old_fingerprint()
    {
        using var folder = new TempFolder();
        var campaign = new CampaignOptions { Template = folder.Write("welcome.sbn", "Hi {{ first_name }}!"), AvatarId = "a", VoiceId = "v" };
        var without = ApprovalFingerprint.Of(campaign);
        campaign.Pronunciations.File = folder.Write("respellings.csv", "Siobhan,Shiv-awn\n");
        var first = ApprovalFingerprint.Of(campaign);
        folder.Write("respellings.csv", "Siobhan,Shi-vawn\n");
        var changed = ApprovalFingerprint.Of(campaign);
        campaign.Pronunciations.File = null;

        Assert.That(first, Is.Not.EqualTo(without));
        Assert.That(changed, Is.Not.EqualTo(first), "a changed respelling asks for a new sample");
        Assert.That(ApprovalFingerprint.Of(campaign), Is.EqualTo(without), "a campaign without respellings keeps its approval");
    }

    [Test]
    public void A_bad_respellings_file_names_each_line_and_the_fix()
    {
        using var folder = new TempFolder();
        var campaign = new CampaignOptions
        {
            Pronounce = ["first_name"],
            Pronunciations = new PronunciationOptions { File = folder.Write("respellings.csv", "value,spoken\nSiobhan\n\"Smith, Jr\",Smith junior\nAnn,Ahn\nAnn,Anne\n\"Zoë,Zo-ee\n") },
        };

        var error = Assert.Throws<ConfigurationException>(() => Respellings.For("welcome", campaign, ["id", "first_name"]));

        Assert.That(error!.Message, Does.Contain("respellings.csv:2: expected two cells, value,spoken").And.Contain("found 1 cell(s)"));
        Assert.That(error.Message, Does.Contain("respellings.csv:5: 'Ann' is respelled 'Ahn' on line 4 and 'Anne' here; keep one"));
        Assert.That(error.Message, Does.Contain("respellings.csv:6:").And.Contain("a quoted field is never closed"));
        Assert.That(error.Message, Does.Not.Contain("respellings.csv:3"), "a quoted value with a comma is one cell");
    }
}
