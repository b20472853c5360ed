using System.Text.RegularExpressions;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>A console line says something a user acts on: no logger names, no expected 404s, no .NET types.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class QuietConsoleTests
{
    [Test]
    public async Task A_run_with_a_rejected_row_and_fresh_videos_prints_no_log_line_at_normal_verbosity()
    {
        // Every video answers 404 for a moment after its create, as HeyGen documents.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromSeconds(1), NotFoundAfterCreate = TimeSpan.FromMilliseconds(800) });
        harness.WriteCsv(4, firstName: i => i == 2 ? "" : "Name" + i);
        harness.WriteCsv(2, name: "more.csv");
        await File.WriteAllTextAsync(harness.Folder.File("more.csv"), (await File.ReadAllTextAsync(harness.Folder.File("more.csv"))).Replace("C-", "D-", StringComparison.Ordinal));

        var normal = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var detailed = await harness.RunCliAsync("run", "--csv", "more.csv", "--verbosity", "detailed", "--config", harness.ConfigPath);

        Assert.That(normal.ExitCode, Is.EqualTo(1), normal.Output + normal.Error);
        Assert.That(detailed.Error, Does.Contain("not visible yet, just after its create"), "the same sandbox answered 404 right after a create: " + detailed.Error);
        Assert.That(normal.Error, Does.Not.Contain("warning:").And.Not.Contain("BatchVideo.").And.Not.Contain("not found"));
        Assert.That(LoggerPrefix().IsMatch(normal.Output + normal.Error), Is.False, normal.Error);
        Assert.That(normal.Output, Does.Contain("line 3, key C-2"), "the rejected row is in the summary, once");
        Assert.That(Regex.Count(normal.Output + normal.Error, "key C-2"), Is.EqualTo(1));
    }

    [Test]
    public async Task Detailed_verbosity_shows_the_per_row_lines()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(2, firstName: i => i == 2 ? "" : "Name" + i);

        var detailed = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--verbosity", "detailed", "--config", harness.ConfigPath);

        Assert.That(detailed.Error, Does.Contain("debug: BatchVideo.Campaigns.CampaignRunner:").And.Contain("(key C-2) rejected"));
    }

    [Test]
    public async Task A_bad_option_value_is_a_sentence_without_a_type_name()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--verbosity", "loud");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("--verbosity does not take 'loud': use quiet, normal or detailed."));
        Assert.That(result.Error, Does.Not.Contain("BatchVideo.Cli").And.Not.Contain("expected type"));
    }

    [Test]
    public async Task A_bare_batchvideo_shows_the_help()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var result = await harness.RunCliAsync();

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("Usage:").And.Contain("validate").And.Contain("run"));
        Assert.That(result.Error, Does.Not.Contain("Required command"));
    }

    /// <summary>"info: Some.Category[123]", the platform's simple console format.</summary>
    [GeneratedRegex(@"^\s*(info|warn|fail|dbug|crit): \S+\[\d+\]", RegexOptions.Multiline)]
    private static partial Regex LoggerPrefix();
}
