using System.Text.Json.Nodes;
using BatchVideo.Campaigns;
using BatchVideo.Pages;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Tests.Pages;

/// <summary><c>Campaigns:&lt;name&gt;:Pages:NameColumn</c>: checked at start, read from the row trimmed and bounded.</summary>
[TestFixture]
public sealed class PageNameColumnTests
{
    private static readonly string[] Columns = ["id", "full_name", "company"];

    [Test]
    public void A_blank_name_column_is_refused_with_its_path()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pages:PublicBaseUrl"] = "https://video.example.com",
            ["Campaigns:welcome:Pages:Enabled"] = "true",
            ["Campaigns:welcome:Pages:NameColumn"] = "  ",
            ["Campaigns:other:Pages:Enabled"] = "true",
            ["Campaigns:other:Pages:NameColumn"] = "full_name",
        }).Build();

        var result = new PageOptionsValidator(configuration).Validate(null, configuration.GetSection("Pages").Get<PagesOptions>()!);

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            "Campaigns:welcome:Pages:NameColumn is blank: name the source column that holds the recipient's name (e.g. first_name), or remove the setting.",
        }));
    }

    [Test]
    public void A_name_column_the_source_lacks_stops_start_naming_it_and_the_sources_columns()
    {
        var campaign = Campaign("fullname_x");

        var error = Assert.Throws<ConfigurationException>(() => PageTextRenderer.For("welcome", campaign, Columns, "contacts.csv"));

        Assert.That(error!.Message, Is.EqualTo("Campaigns:welcome:Pages:NameColumn 'fullname_x' is not a column of contacts.csv. Its columns are: id, full_name, company."));
    }

    [Test]
    public void The_name_is_read_from_its_column_trimmed_in_any_case_of_the_header_and_an_empty_cell_is_none()
    {
        var renderer = PageTextRenderer.For("welcome", Campaign("Full_Name"), Columns, "contacts.csv")!;

        var named = renderer.Render(["C-1", "  Amélie\r\nDurand \t", "Acme"], "C-1", "welcome");
        var empty = renderer.Render(["C-2", " \u200B ", "Acme"], "C-2", "welcome");

        Assert.That(named.Name, Is.EqualTo("Amélie  Durand"), "trimmed; a line break inside is no line of the notification");
        Assert.That((named.Heading, named.CtaText), Is.EqualTo(((string?)null, (string?)null)), "a name column alone shows nothing on the page");
        Assert.That(empty.Name, Is.Null);
        Assert.That(PageTextRenderer.For("welcome", Campaign(null), Columns, "contacts.csv"), Is.Null, "no texts and no name column: nothing to render");
    }

    [Test]
    public void A_name_longer_than_the_bound_is_cut_at_it()
    {
        Assert.That(PageTextRenderer.RecipientName(new string('a', 500)), Has.Length.EqualTo(PageTextRenderer.MaxNameLength));
    }

    [Test]
    [Category("Integration")]
    public async Task A_run_naming_a_column_the_file_lacks_exits_2_before_anything_is_sent()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["welcome"]!["Pages"] = new JsonObject { ["Enabled"] = true, ["NameColumn"] = "full_name" };
            c["Pages"] = new JsonObject { ["PublicBaseUrl"] = "http://127.0.0.1:9" };
        });
        harness.WriteCsv(2);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Campaigns:welcome:Pages:NameColumn 'full_name' is not a column of").And.Contain("Its columns are: id, first_name, company."));
        Assert.That(harness.Sandbox.Videos, Is.Empty, "nothing was sent");
    }

    private static CampaignOptions Campaign(string? nameColumn) => new()
    {
        Pages = new CampaignPageOptions { Enabled = true, NameColumn = nameColumn },
    };
}
