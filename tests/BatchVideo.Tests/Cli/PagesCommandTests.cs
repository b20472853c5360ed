using System.Text.Json;
using System.Text.Json.Nodes;
using BatchVideo.Cli;
using BatchVideo.Ledger;
using BatchVideo.Pages;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// <c>batchvideo pages list | revoke</c> over a sandbox run with pages on: the commands' own code in this process
/// (no process start per step), and the real executable once, for its registration and its JSON.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PagesCommandTests
{
    private const string PublicBase = "http://127.0.0.1:9/";

    private PipelineHarness harness = null!;
    private LedgerStore ledger = null!;

    [OneTimeSetUp]
    public async Task RunACampaignWithPages()
    {
        harness = await PipelineHarness.StartAsync(new BatchVideo.Sandbox.SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["plain"] = c["Campaigns"]!["welcome"]!.DeepClone();
            c["Campaigns"]!["welcome"]!["Pages"] = new JsonObject { ["Enabled"] = true };
            c["Pages"] = new JsonObject { ["PublicBaseUrl"] = PublicBase };
        });
        await harness.RunAsync(harness.WriteCsv(3));
        ledger = harness.Ledger(TimeProvider.System);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await harness.DisposeAsync();

    [Test]
    public async Task List_shows_each_page_with_its_counts_and_revoke_takes_one_down_for_good()
    {
        var before = await ListAsync();
        var tokens = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None)).ToDictionary(e => e.Key, e => e.Value.PageToken);
        await ledger.RecordPageEventAsync(tokens["C-1"], PageEvents.Opened, null, new DateTimeOffset(2026, 12, 6, 4, 10, 7, TimeSpan.Zero), CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["C-1"], PageEvents.Progress, 50, new DateTimeOffset(2026, 12, 6, 4, 11, 0, TimeSpan.Zero), CancellationToken.None);
        using var said = new StringWriter();
        using var complaint = new StringWriter();

        var revoked = await PagesCommand.RevokeAsync(null, "C-2", harness.ConfigPath, sandbox: false, said, complaint, CancellationToken.None);
        var again = await PagesCommand.RevokeAsync(null, "C-2", harness.ConfigPath, sandbox: false, said, complaint, CancellationToken.None);
        var unknown = await PagesCommand.RevokeAsync("welcome", "C-9", harness.ConfigPath, sandbox: false, said, complaint, CancellationToken.None);
        var after = await ListAsync();

        Assert.That(before, Is.EqualTo(new[]
        {
            "key\tpage\tviews\tfirst viewed\twatched %\tCTA clicked",
            $"C-1\t{PublicBase}v/{tokens["C-1"]}\t0\t-\t0\t-",
            $"C-2\t{PublicBase}v/{tokens["C-2"]}\t0\t-\t0\t-",
            $"C-3\t{PublicBase}v/{tokens["C-3"]}\t0\t-\t0\t-",
            "Campaign welcome: 3 live page(s), 0 opened.",
        }));
        Assert.That((revoked, again, unknown), Is.EqualTo((0, 1, 1)), said.ToString() + complaint.ToString());
        Assert.That(said.ToString(), Does.StartWith("Revoked the page of 'C-2' in campaign welcome: its address answers 404 from now on"));
        Assert.That(complaint.ToString(), Does.Contain("error: 'C-2' of campaign welcome has no page to revoke").And.Contain("error: 'C-9' of campaign welcome has no page to revoke"));
        Assert.That(complaint.ToString(), Does.Contain("This lists the live pages: batchvideo pages list --campaign welcome"));
        Assert.That(await ledger.FindPageAsync(tokens["C-2"], CancellationToken.None), Is.Null, "serve's page route finds nothing: a 404");
        Assert.That(await ledger.FindPageAsync(tokens["C-3"], CancellationToken.None), Is.Not.Null);
        Assert.That(after, Is.EqualTo(new[]
        {
            before[0],
            $"C-1\t{PublicBase}v/{tokens["C-1"]}\t1\t2026-12-06T04:10:07Z\t50\t-",
            before[3],
            "Campaign welcome: 2 live page(s), 1 opened.",
        }));
    }

    [Test]
    public async Task An_unknown_campaign_is_a_configuration_error()
    {
        using var output = new StringWriter();

        var code = await CommandOptions.GuardAsync(() => PagesCommand.RevokeAsync("nope", "C-1", harness.ConfigPath, sandbox: false, output, output, CancellationToken.None));

        Assert.That(code, Is.EqualTo(2));
    }

    [Test]
    public async Task Revoking_in_a_campaign_without_pages_says_so()
    {
        using var said = new StringWriter();
        using var complaint = new StringWriter();

        var code = await PagesCommand.RevokeAsync("plain", "C-1", harness.ConfigPath, sandbox: false, said, complaint, CancellationToken.None);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(complaint.ToString(), Does.Contain("campaign plain has no recipient pages (Campaigns:plain:Pages:Enabled is off)"));
    }

    [Test]
    public async Task The_executable_lists_pages_as_json_lines()
    {
        var result = await harness.RunCliAsync("pages", "list", "--json", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Error);
        var pages = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(pages.Select(p => p.GetProperty("key").GetString()), Is.SupersetOf(new[] { "C-1", "C-3" }));
        Assert.That(pages.Select(p => p.GetProperty("page").GetString()), Is.All.StartWith(PublicBase + "v/"));
    }

    private async Task<string[]> ListAsync()
    {
        using var output = new StringWriter();
        var code = await PagesCommand.ListAsync(null, harness.ConfigPath, sandbox: false, json: false, output, CancellationToken.None);
        Assert.That(code, Is.Zero, output.ToString());
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }
}
