using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary><c>batchvideo links check</c> against the sandbox's pages, both readings of HeyGen's silence.</summary>
[TestFixture]
[Category("Integration")]
public sealed class LinksCommandTests
{
    [Test]
    public async Task Page_links_that_play_pass_the_check()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), PageRequiresLogin = false });
        await harness.RunAsync(harness.WriteCsv(4));

        var result = await harness.RunCliAsync("links", "check", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Count(l => l.StartsWith("plays", StringComparison.Ordinal) && l.Contains($"{harness.Sandbox.BaseAddress}video/", StringComparison.Ordinal)), Is.EqualTo(3), result.Output);
        Assert.That(result.Output, Does.Contain("'UrlField: page'"));
        Assert.That(result.Output + result.Error, Does.Not.Contain("test-key"), "the API key is never printed");
    }

    [Test]
    public async Task Page_links_behind_a_login_fail_the_check_with_advice()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), PageRequiresLogin = true });
        await harness.RunAsync(harness.WriteCsv(2));

        var result = await harness.RunCliAsync("links", "check", "--limit", "5", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Count(l => l.StartsWith("asks for a login", StringComparison.Ordinal)), Is.EqualTo(2), result.Output);
        Assert.That(result.Output, Does.Contain("'UrlField: signed'").And.Contain("'UrlField: download'"));
    }

    [Test]
    public async Task An_unknown_campaign_is_a_configuration_error()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var result = await harness.RunCliAsync("links", "check", "--campaign", "nope", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
    }
}
