using BatchVideo.Scripts;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Scripts;

/// <summary>
/// Issue 22's partial kinds (tests/BatchVideo.Tests/Cases 27, 28): Scriban's loop variables are the language,
/// not columns; the script limit is counted in characters as an editor counts them, and the message says so.
/// </summary>
[TestFixture]
public sealed class PartialCaseTests
{
    private static readonly string[] Headers = ["id", "first_name", "tags"];

    [TestCase("{{ for t in tags | string.split \";\" }}{{ if !for.first }}{{ if for.last }} and {{ else }}, {{ end }}{{ end }}{{ t | string.strip }}{{ end }}", "a, b and c")]
    [TestCase("{{ for t in tags | string.split \";\" }}{{ if for.index > 0 }}, {{ end }}{{ t }}{{ end }}", "a, b, c")]
    [TestCase("{{ for t in tags | string.split \";\" }}{{ for.rindex }}{{ if for.even }}e{{ end }}{{ end }}", "2e10e")]
    [TestCase("{{ i = 0 }}{{ while i < 2 }}{{ while.index }}{{ i = i + 1 }}{{ end }}{{ tags }}", "01a;b;c")]
    public void Loop_variables_are_part_of_the_language_not_columns(string script, string rendered)
    {
        var renderer = new ScriptRenderer(ScriptTemplate.Parse(script, "t.sbn"), null, Headers, []);

        Assert.That(renderer.UnknownVariables(), Is.Empty);
        Assert.That(renderer.Render(["1", "Ann", "a;b;c"], "1", "welcome").Script, Is.EqualTo(rendered));
    }

    [Test]
    public void A_column_named_for_outside_a_loop_is_still_unknown() =>
        Assert.That(new ScriptRenderer(ScriptTemplate.Parse("{{ for_x }}", "t.sbn"), null, Headers, []).UnknownVariables(), Is.EqualTo(new[] { "for_x" }));

    [TestCase(5000, "", true)]
    [TestCase(4999, "🙂", true)]
    [TestCase(4998, "👋🏽", true)]
    [TestCase(5001, "", false)]
    [TestCase(5000, "🙂", false)]
    public void Script_limit_counts_characters_as_an_editor_does(int letters, string tail, bool sent)
    {
        var renderer = new ScriptRenderer(ScriptTemplate.Parse("{{ tags }}", "t.sbn"), null, Headers, []);

        var result = renderer.Render(["1", "Ann", new string('a', letters) + tail + "  \r\n"], "1", "welcome");

        Assert.That(result.Problem is null, Is.EqualTo(sent), result.Problem?.Reason);
        if (!sent)
        {
            Assert.That(result.Problem!.Reason, Is.EqualTo($"the script is {letters + (tail.Length > 0 ? 1 : 0)} characters (Unicode code points, as a text editor counts them); HeyGen accepts at most 5000"));
        }
    }

    [TestCase("appsettings.json")]
    [TestCase("appsettings-minimal.json")]
    [TestCase("appsettings-join.json")]
    [Category("Integration")]
    public async Task Case_loop_templates_validate_and_reject_only_the_empty_interests(string config)
    {
        await using var harness = await CaseHarness.StartAsync("27-scriban-loop-tags-split", config);
        var problems = new List<BatchVideo.Campaigns.RowProblem>();

        var summary = await harness.ValidateAsync(harness.Folder.File("input.csv"), onProblem: problems.Add);

        Assert.That(summary.WouldSubmit, Is.EqualTo(5));
        Assert.That(problems.Select(p => (p.Line, p.Key, p.Column, p.Code)), Is.EqualTo(new[] { (5L, "51234567804", "Product Interest", "empty_column") }));
    }

    [Test]
    [Category("Integration")]
    public async Task Case_scripts_at_the_limit_are_sent_and_one_over_is_rejected_with_its_count()
    {
        await using var harness = await CaseHarness.StartAsync("28-script-5000-char-boundary");
        var problems = new List<BatchVideo.Campaigns.RowProblem>();

        var summary = await harness.ValidateAsync(harness.Folder.File("input.csv"), onProblem: problems.Add);

        Assert.That(summary.WouldSubmit, Is.EqualTo(4), "5,000, 5,000 after trimming, 5,000 ending in an emoji, 4,999");
        Assert.That(problems.Select(p => (p.Line, p.Key, p.Code)), Is.EqualTo(new[] { (3L, "L-2802", "script_too_long") }));
        Assert.That(problems[0].Reason, Does.StartWith("the script is 5001 characters (Unicode code points"));
    }
}
