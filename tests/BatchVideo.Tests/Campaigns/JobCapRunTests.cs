using System.Text.Json.Nodes;
using BatchVideo.Ledger;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// Whole runs against a sandbox that behaves like a pay-as-you-go account: at most 10 videos unfinished,
/// renders that grow with the script, and 429 past the cap. Render times are scaled down about 30 times.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class JobCapRunTests
{
    // ~0.5 s base plus ~0.25 s for the harness's 12-word scripts (4.8 s of video), spread by a fifth.
    private static SandboxOptions Account(int otherJobs = 0, TimeSpan? retryAfter = null) => new()
    {
        RenderTime = TimeSpan.FromMilliseconds(500),
        RenderTimePerVideoSecond = TimeSpan.FromMilliseconds(50),
        RenderJitter = 0.2,
        MaxConcurrentJobs = 10,
        OtherJobs = otherJobs,
        JobLimitRetryAfter = retryAfter,
        Seed = 11,
    };

    [Test]
    public async Task Sixty_rows_under_a_cap_of_ten_complete_in_one_run_without_a_refused_create()
    {
        await using var harness = await PipelineHarness.StartAsync(Account(retryAfter: TimeSpan.FromSeconds(5)));
        var csv = harness.WriteCsv(60);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.ToResume, summary.ExitCode), Is.EqualTo((60L, 0L, 0)), () => string.Join("\n", summary.Problems));
        Assert.That(harness.Sandbox.Stats.MaxUnfinishedJobs, Is.InRange(8, 10), "the slots were used, never past the cap");
        Assert.That(harness.Sandbox.Stats.JobLimitRefusals, Is.Zero);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(60));
        Assert.That(harness.CreatedMarkers(), Is.Unique);
    }

    [Test]
    public async Task Sixty_rows_share_the_cap_with_other_work_and_all_complete()
    {
        // The account's other work holds 4 of the 10 slots; BatchVideo cannot see it and learns it from 429s.
        await using var harness = await PipelineHarness.StartAsync(Account(otherJobs: 4));
        var csv = harness.WriteCsv(60);

        var summary = await harness.RunAsync(csv);

        TestContext.Out.WriteLine($"{summary.Elapsed.TotalSeconds:0.0} s, {harness.Sandbox.Stats.JobLimitRefusals} refused");
        Assert.That((summary.Completed, summary.ToResume, summary.ExitCode), Is.EqualTo((60L, 0L, 0)), () => string.Join("\n", summary.Problems));
        Assert.That(harness.Sandbox.Stats.MaxUnfinishedJobs, Is.EqualTo(10), "the six free slots were used");
        Assert.That(harness.Sandbox.Stats.JobLimitRefusals, Is.InRange(1, 15), "a few refusals teach the run the smaller cap");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(60));
        Assert.That(harness.CreatedMarkers(), Is.Unique);
    }

    [Test]
    public async Task Kill_while_rows_wait_for_slots_then_rerun_sends_every_row_once()
    {
        const int rows = 40;
        await using var harness = await PipelineHarness.StartAsync(Account() with { RenderTime = TimeSpan.FromSeconds(2) });
        harness.WriteCsv(rows);

        using (var process = harness.StartCli("run", "--csv", "contacts.csv", "--config", harness.ConfigPath))
        {
            await Eventually.HappensAsync(() => Task.FromResult(harness.Sandbox.Stats.VideosCreated >= 10), TimeSpan.FromSeconds(60), () => "no create");
            // Ten renders take every slot: the other rows are waiting now.
            await Task.Delay(300);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var createdBeforeRerun = harness.Sandbox.Stats.VideosCreated;
        var final = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(createdBeforeRerun, Is.InRange(10, rows - 10), "killed while rows waited for slots");
        Assert.That(final.ExitCode, Is.Zero, final.Output + final.Error);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(rows));
        Assert.That(harness.CreatedMarkers().Distinct().Count(), Is.EqualTo(rows));
        var lines = File.ReadAllLines(harness.Folder.File("contacts.csv"));
        Assert.That(lines.Skip(1).Count(l => l.Contains(",completed,http", StringComparison.Ordinal)), Is.EqualTo(rows));
    }

    [Test]
    [Category("Postgres")]
    public async Task Two_processes_on_one_ledger_share_the_cap()
    {
        // HeyGen's cap is 20 here (an Enterprise account) and each process is told 10: whatever the sandbox sees
        // past 10 unfinished is the two processes together passing the cap they were given.
        await using var harness = await PipelineHarness.StartAsync(Account() with { MaxConcurrentJobs = 20, RenderTime = TimeSpan.FromSeconds(1) });
        await using var database = await TestDatabase.CreateAsync("postgres", harness.Folder);
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["second"] = c["Campaigns"]!["welcome"]!.DeepClone();
            c["Ledger"] = new JsonObject { ["Engine"] = database.EngineName, ["ConnectionString"] = database.ConnectionString };
        });
        var migrate = await harness.RunCliAsync("db", "migrate", "--config", harness.ConfigPath);
        Assert.That(migrate.ExitCode, Is.Zero, migrate.Error);
        harness.WriteCsv(30, "first.csv");
        harness.WriteCsv(30, "second.csv");

        var first = harness.RunCliAsync("run", "--csv", "first.csv", "--config", harness.ConfigPath);
        // The second starts once the first's creates are in the ledger, as a node firing a little later does.
        await Eventually.HappensAsync(() => Task.FromResult(harness.Sandbox.Stats.VideosCreated >= 5), TimeSpan.FromSeconds(60), () => "no create");
        var second = harness.RunCliAsync("run", "--csv", "second.csv", "--campaign", "second", "--config", harness.ConfigPath);
        var results = await Task.WhenAll(first, second);

        Assert.That(results.Select(r => r.ExitCode), Is.All.Zero, string.Join("\n", results.Select(r => r.Output + r.Error)));
        Assert.That(harness.Sandbox.Stats.MaxUnfinishedJobs, Is.InRange(9, 10), "together at the cap, never past it");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(60));
        var ledger = harness.Ledger(TimeProvider.System);
        Assert.That(await ledger.CountByStateAsync("welcome", CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { [LedgerState.Completed] = 30 }));
        Assert.That(await ledger.CountByStateAsync("second", CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { [LedgerState.Completed] = 30 }));
    }
}
