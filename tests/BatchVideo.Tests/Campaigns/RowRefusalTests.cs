using System.Text.Json.Nodes;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// Rows refused before any create: a look that does not list the campaign's engine (from the pre-flight's one
/// look-up per distinct look), and a background cell that is not <c>#rrggbb</c> or an <c>https://</c> URL.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class RowRefusalTests
{
    private const string Csv =
        "id,first_name,company,look,bg\n"
        + "C-1,Ada,Alpha,sandbox_avatar_ben,#00aaff\n"
        + "C-2,Bo,Beta,sandbox_avatar_cleo,\n"
        + "C-3,Cy,Gamma,,#0af\n"
        + "C-4,Di,Delta,,http://cdn.example/bg.png\n"
        + "C-5,Ed,Eps,sandbox_avatar_cleo,https://cdn.example/bg.png\n";

    [Test]
    public async Task A_look_without_the_engine_and_a_bad_background_are_rejected_before_any_create()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["Columns"] = new JsonObject { ["Look"] = "look", ["Background"] = "bg" });
        var csv = harness.Folder.Write("contacts.csv", Csv);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.Rejected, summary.Failed), Is.EqualTo((1L, 4L, 0L)), string.Join("; ", summary.Problems.Select(p => $"{p.Line} {p.Reason}")));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(1), "no create for a refused row");
        var problems = summary.Problems.ToDictionary(p => p.Key!);
        Assert.That((problems["C-2"].Line, problems["C-2"].Column), Is.EqualTo((3L, "look")));
        Assert.That(problems["C-2"].Reason, Does.Contain("sandbox_avatar_cleo").And.Contain("does not support engine avatar_iv"));
        Assert.That(problems["C-5"].Reason, Does.Contain("does not support engine avatar_iv"));
        Assert.That((problems["C-3"].Line, problems["C-3"].Column, problems["C-3"].Code), Is.EqualTo((4L, "bg", "bad_choice")));
        Assert.That(problems["C-3"].Reason, Does.Contain("'#0af'").And.Contain("#rrggbb"));
        Assert.That(problems["C-4"].Reason, Does.Contain("'http://cdn.example/bg.png'").And.Contain("https://"));
    }
}
