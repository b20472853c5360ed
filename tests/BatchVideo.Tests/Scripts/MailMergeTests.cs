using BatchVideo.Scripts;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Scripts;

/// <summary>Templates that speak like mail merge: fallbacks for empty values, readable names for every column.</summary>
[TestFixture]
public sealed class MailMergeTests
{
    private static readonly string[] Headers = ["id", "Prénom", "First Name", "company"];

    private static RenderResult Render(string script, string[] values, string[]? optional = null, Dictionary<string, string>? defaults = null) =>
        new ScriptRenderer(ScriptTemplate.Parse(script, "t.sbn"), null, Headers, optional ?? [], defaults).Render(values, values[0], "welcome");

    [TestCase("Hi {{ first_name | object.default \"there\" }}!")]
    [TestCase("Hi {{ if first_name == \"\" }}there{{ else }}{{ first_name }}{{ end }}!")]
    [TestCase("Hi {{ first_name ?? \"there\" }}!")]
    public void Template_that_handles_an_empty_value_renders_its_fallback_without_listing_the_column(string script)
    {
        Assert.That(Render(script, ["1", "", "\u00A0", "Acme"]).Script, Is.EqualTo("Hi there!"));
        Assert.That(Render(script, ["1", "", " Ann ", "Acme"]).Script, Is.EqualTo("Hi Ann!"));
    }

    [Test]
    public void Defaults_fill_empty_cells_by_column_or_variable_name()
    {
        var defaults = new Dictionary<string, string> { ["First Name"] = "there", ["company"] = "your team" };

        var result = Render("Hi {{ first_name }} of {{ row[\"company\"] }}!", ["1", "", "\u200B", ""], defaults: defaults);

        Assert.That(result.Script, Is.EqualTo("Hi there of your team!"));
    }

    [Test]
    public void Rejection_for_an_empty_value_says_the_three_ways_to_allow_it()
    {
        var result = Render("Hi {{ first_name }}!", ["1", "", "", "Acme"]);

        Assert.That(result.Problem!.Reason, Is.EqualTo(
            "column 'First Name' is empty but t.sbn uses it; to allow that, list it in Campaigns:welcome:OptionalColumns, "
            + "give it a value in Campaigns:welcome:Defaults (\"first_name\": \"there\"), or write {{ first_name | object.default \"there\" }} in the template"));
    }

    [Test]
    public void Accented_and_spaced_columns_get_readable_variables_and_keep_row_access()
    {
        Assert.That(ScriptRenderer.VariableOf("Prénom"), Is.EqualTo("prenom"));
        Assert.That(ScriptRenderer.VariableOf(" First Name "), Is.EqualTo("first_name"));
        Assert.That(ScriptRenderer.VariableOf("Société Générale (FR)"), Is.EqualTo("societe_generale_fr"));
        Assert.That(Render("{{ prenom }} / {{ row[\"Prénom\"] }}", ["1", "Zoë", "x", "y"]).Script, Is.EqualTo("Zoë / Zoë"));
    }

    [Test]
    public void Include_is_a_template_error_at_load_not_a_rejection_of_every_row()
    {
        var error = Assert.Throws<TemplateException>(() => ScriptTemplate.Parse("Hi {{ first_name }}\n{{ include 'footer.sbn' }}", "welcome.sbn"));

        Assert.That(error!.Message, Does.StartWith("Template welcome.sbn:2:4: 'include' reads another template file"));
    }

    [Test]
    [Category("Integration")]
    public async Task Scriban_fallback_case_renders_hi_there_for_every_empty_first_name()
    {
        await using var harness = await CaseHarness.StartAsync("15-scriban-fallback-default");

        var summary = await harness.RunAsync(harness.Folder.File("input.csv"));

        Assert.That(summary.Rejected, Is.Zero);
        Assert.That(harness.Sandbox.Videos.Select(v => v.Script!.Split('!')[0]).Order(), Is.EqualTo(new[] { "Hi Arjun", "Hi Maya", "Hi there", "Hi there" }));
    }

    [TestCase("appsettings-coalesce.json")]
    [TestCase("appsettings-if.json")]
    [TestCase("appsettings-optional.json")]
    [Category("Integration")]
    public async Task Scriban_fallback_variants_never_send_a_blank_greeting(string config)
    {
        await using var harness = await CaseHarness.StartAsync("15-scriban-fallback-default", config);

        await harness.RunAsync(harness.Folder.File("input.csv"));

        Assert.That(harness.Sandbox.Videos.Select(v => v.Script!), Has.None.StartWith("Hi !").And.None.StartWith("Hi  !"));
        Assert.That(harness.Sandbox.Videos.Count(v => v.Script!.StartsWith("Hi there!", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    [Category("Integration")]
    public async Task Templates_check_names_each_column_variable_and_fails_an_include()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("contacts.csv", "id,Prénom,First Name,company,\n1,Zoë,Zoë,Acme,\n");
        harness.Folder.Write("fr.sbn", "Bonjour {{ prenom | object.default \"à vous\" }} de {{ company }}");
        harness.Folder.Write("inc.sbn", "{{ include 'x.sbn' }}");

        var check = await harness.RunCliAsync("templates", "check", "fr.sbn", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var include = await harness.RunCliAsync("templates", "check", "inc.sbn", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(check.ExitCode, Is.Zero, check.Output + check.Error);
        Assert.That(check.Output, Does.Contain("Columns of contacts.csv (5): id, Prénom → prenom, First Name → first_name, company, (unnamed: no variable)"));
        Assert.That(check.Output, Does.Contain("The template handles these when empty: prenom"));
        Assert.That(include.ExitCode, Is.EqualTo(1));
        Assert.That(include.Output, Does.Contain("'include' reads another template file"));
    }

    [Test]
    [Category("Integration")]
    public async Task Whitespace_control_renders_by_scribans_rules_and_the_preview_shows_the_script_as_sent()
    {
        // Case 17: the non-greedy {{~ removes the spaces before it but stops at the line break. The script sent
        // is Scriban's output without the template file's final line break (nothing to speak).
        await using var harness = await CaseHarness.StartAsync("17-scriban-whitespace-control");
        var template = Scriban.Template.Parse(File.ReadAllText(harness.Folder.File("template.sbn")));
        var expected = new Dictionary<string, string>
        {
            ["Amara"] = template.Render(new { first_name = "Amara", company = "Obi Farms", city = "Enugu" }, m => m.Name).TrimEnd(),
            ["Felix"] = template.Render(new { first_name = "Felix", company = "", city = "Graz" }, m => m.Name).TrimEnd(),
        };

        var preview = await harness.RunCliAsync("preview", "--csv", "input.csv", "--config", harness.ConfigPath, "--json", "--limit", "100");
        await harness.RunAsync(harness.Folder.File("input.csv"));

        Assert.That(expected["Amara"], Is.EqualTo("Hi Amara! I'm reaching out from the team at BatchVideo.\n I saw that Obi Farms in Enugu is growing.\nTalk soon!"));
        Assert.That(expected["Felix"], Is.EqualTo("Hi Felix! I'm reaching out from the team at BatchVideo.\n\nTalk soon!"));
        var sent = harness.Sandbox.Videos.ToDictionary(v => v.Script!.Split('!')[0]["Hi ".Length..], v => v.Script!);
        Assert.That(sent["Amara"], Is.EqualTo(expected["Amara"]));
        Assert.That(sent["Felix"], Is.EqualTo(expected["Felix"]));
        Assert.That(preview.ExitCode, Is.Zero, preview.Error);
        Assert.That(preview.Output, Does.Contain(System.Text.Json.JsonSerializer.Serialize(expected["Felix"])[1..^1]));
    }
}

