using BatchVideo.Campaigns;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Scripts;

/// <summary>
/// One variable, one column (issue 22, item 3; tests/BatchVideo.Tests/Cases 32): two columns that map to a
/// variable a template reads stop the command at start naming both; columns no template reads never stop
/// a run, whatever their names.
/// </summary>
[TestFixture]
public sealed class OneVariableOneColumnTests
{
    private static ScriptRenderer Renderer(string script, string[] headers, string? title = null) =>
        new(ScriptTemplate.Parse(script, "t.sbn"), title is null ? null : ScriptTemplate.Parse(title, "title"), headers, []);

    [TestCase("id,First Name,first_name", "first_name", "First Name|first_name")]
    [TestCase("id,E-mail,e_mail,E Mail", "e_mail", "E-mail|e_mail|E Mail")]
    [TestCase("id,Prénom,prenom", "prenom", "Prénom|prenom")]
    [TestCase("id,Company,COMPANY", "company", "Company|COMPANY")]
    public void Columns_that_map_to_a_read_variable_clash(string header, string variable, string columns)
    {
        var clashes = Renderer($"Hi {{{{ {variable} }}}}!", header.Split(',')).ClashingVariables();

        Assert.That(clashes.Select(c => (c.Variable, string.Join('|', c.Columns))), Is.EqualTo(new[] { (variable, columns) }));
    }

    [Test]
    public void A_variable_read_only_by_the_title_clashes_too() =>
        Assert.That(Renderer("Hi!", ["id", "First Name", "first_name"], "Hello {{ first_name }}").ClashingVariables(), Has.Count.EqualTo(1));

    [TestCase("id,first_name,Reference,reference")]
    [TestCase("id,first_name,Phone,Phone #")]
    [TestCase("id,first_name,Notes,notes,NOTES")]
    public void Columns_no_template_reads_never_clash(string header) =>
        Assert.That(Renderer("Hi {{ first_name }}! {{ row[\"Reference\"] }}", header.Split(',')).ClashingVariables(), Is.Empty);

    [Test]
    public void Unread_columns_of_one_name_open_but_a_key_named_twice_does_not()
    {
        using var folder = new TempFolder();
        var unread = folder.Write("a.csv", "id,first_name,Reference,reference\n1,Ann,R1,r1\n");
        var key = folder.Write("b.csv", "id,first_name,ID\n1,Ann,2\n");

        Assert.That(CsvContactSource.Open(unread, "id").Columns, Has.Count.EqualTo(4));
        Assert.That(
            Assert.Throws<SourceException>(() => CsvContactSource.Open(key, "id"))!.Message,
            Does.Contain("the header names a column twice: 'id' (columns 1, 3)"));
    }

    [Category("Integration")]
    [TestCase("input.csv", 2)]
    [TestCase("input-phone.csv", 2)]
    public async Task Case_columns_no_template_reads_run(string input, int videos)
    {
        await using var harness = await CaseHarness.StartAsync("32-duplicate-headers-case-and-variables");

        var summary = await harness.RunAsync(harness.Folder.File(input));

        Assert.That((summary.ExitCode, summary.Completed), Is.EqualTo((0, (long)videos)));
    }

    [Test]
    [Category("Integration")]
    public async Task Case_First_Name_beside_first_name_stops_at_start_naming_both_and_how_to_read_each()
    {
        await using var harness = await CaseHarness.StartAsync("32-duplicate-headers-case-and-variables");

        var error = await Task.Run(() => Assert.ThrowsAsync<ConfigurationException>(() => harness.RunAsync(harness.Folder.File("input-collide.csv"))));

        Assert.That(error!.Message, Does.StartWith("'first_name' used by ").And.Contain("template.sbn or the title is the name of 2 columns of ")
            .And.Contain("'First Name' and 'first_name', so which one a row would speak is a guess. Read each by its header instead ({{ row[\"First Name\"] }}, {{ row[\"first_name\"] }})"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }
}
