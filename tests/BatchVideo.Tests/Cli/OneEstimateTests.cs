using System.Text.Json;
using System.Text.RegularExpressions;
using BatchVideo.Campaigns;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>One money figure: every command, report and page shows the same estimate, in the same words.</summary>
[TestFixture]
public sealed partial class OneEstimateTests
{
    [Test]
    [Category("Integration")]
    public async Task Validate_dry_run_sample_run_reports_and_review_page_show_the_same_estimate()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(7);
        await using var sampled = await PipelineHarness.StartAsync();
        sampled.WriteCsv(7);

        var validate = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var offline = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--offline", "--config", harness.ConfigPath);
        var json = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--json", "--config", harness.ConfigPath);
        var dryRun = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--dry-run", "--config", harness.ConfigPath);
        var run = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var sample = await sampled.RunCliAsync("run", "--csv", "contacts.csv", "--sample", "2", "--config", sampled.ConfigPath);

        var expected = Cost(validate.Output);
        Assert.That(expected, Does.StartWith("$"), "the sandbox is a USD wallet: " + validate.Output);
        Assert.That(
            new[] { Cost(offline.Output), Cost(dryRun.Output), Cost(run.Output), Cost(sample.Output) },
            Has.All.EqualTo(expected),
            string.Join("\n----\n", offline.Output, dryRun.Output, run.Output, sample.Output));
        Assert.That(JsonDocument.Parse(json.Output).RootElement.GetProperty("estimate").GetProperty("cost").GetString(), Is.EqualTo(expected));
        foreach (var output in new[] { validate.Output, dryRun.Output, run.Output })
        {
            var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path("Report", output))).RootElement.GetProperty("estimate");
            Assert.That((report.GetProperty("cost").GetString(), report.GetProperty("unit").GetString()), Is.EqualTo((expected, "usd")));
        }

        foreach (var output in new[] { dryRun.Output, run.Output, sample.Output })
        {
            Assert.That(await File.ReadAllTextAsync(Path("Review page", output)), Does.Contain($"{Spend.Label}<b>{expected}</b>"));
        }
    }

    [Test]
    public void Dollars_and_credits_round_to_hundredths_in_one_form()
    {
        Assert.That(Spend.Amount(26.2649, Spend.Usd), Is.EqualTo("$26.26"));
        Assert.That(Spend.Amount(1234.5, Spend.Usd), Is.EqualTo("$1,234.50"));
        Assert.That(Spend.Amount(6.6049, Spend.Credits), Is.EqualTo("6.6 credits"));
        Assert.That(Spend.Amount(1.004, Spend.Credits), Is.EqualTo("1 credit"));
        Assert.That(Spend.Round(1.475, Spend.Credits), Is.EqualTo(1.48));
        Assert.That(Spend.Rate(1, Spend.Credits), Is.EqualTo("1 credit a minute"));
        Assert.That(Spend.Rate(4.002, Spend.Usd), Is.EqualTo("$4.002 a minute"));
    }

    private static string Cost(string output) => CostLine().Match(output) is { Success: true } m ? m.Groups["cost"].Value : "(no est. cost line)";

    private static string Path(string label, string output) =>
        Regex.Match(output, $"^{label}: (?<path>.+)$", RegexOptions.Multiline).Groups["path"].Value.Trim();

    [GeneratedRegex(@"^\s+est\. cost\s+(?<cost>\S+( credits)?)\s", RegexOptions.Multiline)]
    private static partial Regex CostLine();
}
