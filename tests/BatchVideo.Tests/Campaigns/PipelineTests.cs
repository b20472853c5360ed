using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

[TestFixture]
[Category("Integration")]
public sealed class PipelineTests
{
    private static async Task<List<Dictionary<string, string>>> ReadCsv(string path)
    {
        var rows = new List<Dictionary<string, string>>();
        using var reader = CsvHelper.CsvReader.FromFile(path);
        while (await reader.ReadAsync())
        {
            rows.Add(reader.Current.ToDictionary().ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? ""));
        }

        return rows;
    }

    [Test]
    public async Task Every_row_gets_one_video_and_its_url_written_back()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.WriteCsv(20);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Read, summary.Submitted, summary.Completed, summary.Failed, summary.Rejected), Is.EqualTo((20L, 20L, 20L, 0L, 0L)));
        Assert.That(summary.ExitCode, Is.Zero);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(20));
        var rows = await ReadCsv(csv);
        Assert.That(rows.Select(r => r["video_status"]), Is.All.EqualTo("completed"));
        Assert.That(rows.Select(r => r["video_url"]), Is.EqualTo(rows.Select(r => $"{harness.Sandbox.BaseAddress}video/{r["video_id"]}")), "the stable page link by default");
        Assert.That(rows.Select(r => r["company"]), Is.EqualTo(Enumerable.Range(1, 20).Select(i => $"Company {i}, Inc.")));
    }

    [Test]
    public async Task Rerun_submits_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.WriteCsv(15);
        await harness.RunAsync(csv);
        var createsAfterFirstRun = harness.Sandbox.Stats.CreateRequests;
        var fileAfterFirstRun = await File.ReadAllTextAsync(csv);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.AlreadyDone, summary.Submitted), Is.EqualTo((15L, 0L)));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(createsAfterFirstRun));
        Assert.That(await File.ReadAllTextAsync(csv), Is.EqualTo(fileAfterFirstRun));
    }

    [Test]
    public async Task No_wait_then_rerun_follows_the_videos_without_submitting_again()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromSeconds(1.5) });
        // As many rows as the account has render slots: none waits for another video to finish.
        var csv = harness.WriteCsv(10);

        var first = await harness.RunAsync(csv, noWait: true);
        var afterFirst = await ReadCsv(csv);
        await Task.Delay(TimeSpan.FromSeconds(1.6));
        var second = await harness.RunAsync(csv);

        Assert.That((first.Submitted, first.Rendering, first.ExitCode), Is.EqualTo((10L, 10L, 0)));
        Assert.That(afterFirst.Select(r => r["video_id"]), Is.All.Not.Empty);
        Assert.That(afterFirst.Select(r => r["video_url"]), Is.All.Empty);
        Assert.That((second.Submitted, second.Completed), Is.EqualTo((0L, 10L)));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(10));
        Assert.That((await ReadCsv(csv)).Select(r => r["video_url"]), Is.All.Not.Empty);
    }

    [Test]
    public async Task Storms_of_429_5xx_and_hung_requests_end_with_every_row_done_once()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions
        {
            RenderTime = TimeSpan.FromMilliseconds(200),
            ServerErrorRate = 0.2,
            RateLimitFaultRate = 0.2,
            HangRate = 0.05,
            HangDuration = TimeSpan.FromSeconds(2),
            Seed = 7,
        });
        harness.WriteConfig(c => c["HeyGen"]!["AttemptTimeout"] = "00:00:00.500");
        var csv = harness.WriteCsv(40);

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.Completed, Is.EqualTo(40), () => string.Join("\n", summary.Problems));
        Assert.That(harness.Sandbox.Stats.InjectedFaults, Is.GreaterThan(10));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(40));
        Assert.That(harness.CreatedMarkers(), Is.Unique);
    }

    [Test]
    public async Task Bad_rows_are_reported_and_the_good_rows_still_run()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.Folder.Write("contacts.csv",
            "id,first_name,company\nC-1,Ann,Acme\nC-2,,Acme\nC-1,Dup,Acme\n,NoKey,Acme\nC-5,Eve,Acme\nC-6,Bad\"Quote,Acme\n");

        var summary = await harness.RunAsync(csv);

        // A quote inside an unquoted cell is a character, as Excel reads it (issue 22): C-6 is a good row.
        Assert.That((summary.Rejected, summary.Completed, summary.ExitCode), Is.EqualTo((3L, 3L, 1)));
        Assert.That(summary.Problems.Select(p => (p.Line, p.Column)), Is.EqualTo(new (long, string?)[]
        {
            (3, "first_name"), (4, "id"), (5, "id"),
        }));
        Assert.That(summary.Problems[1].Reason, Is.EqualTo("duplicate key 'C-1' (first at line 2)"));
        var rows = await ReadCsv(csv);
        Assert.That(rows.Select(r => r["video_url"].Length > 0), Is.EqualTo(new[] { true, false, false, false, true, true }));
    }

    [Test]
    public async Task Failed_render_is_reported_and_recorded()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.WriteCsv(3, firstName: i => i == 2 ? "SANDBOX_FAIL_RENDER" : "Ann");

        var summary = await harness.RunAsync(csv);
        var rerun = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.Failed, summary.ExitCode), Is.EqualTo((2L, 1L, 1)));
        Assert.That(summary.Problems.Single().Reason, Does.Contain("rendering_failed"));
        Assert.That((await ReadCsv(csv))[1]["video_status"], Is.EqualTo("failed"));
        Assert.That((rerun.Failed, rerun.Submitted), Is.EqualTo((1L, 0L)), "a failed video is not paid for again without --retry-failed");
    }

    [Test]
    public async Task Unknown_avatar_stops_the_run_before_any_create()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["AvatarId"] = "avatar_typo");
        var csv = harness.WriteCsv(5);

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.ExitCode, Is.EqualTo(2));
        Assert.That(summary.StoppedBecause, Does.Contain("avatar_not_found"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [Test]
    public async Task Exhausted_credit_stops_the_batch_and_keeps_the_rest_pending()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), WalletCurrency = "credits", RemainingCredits = 4, CreditsPerVideo = 1, CreditsPerMinute = 0 });
        harness.WriteConfig(c => c["HeyGen"]!["MaxConcurrency"] = 1);
        var csv = harness.WriteCsv(10);

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.StoppedBecause, Does.Contain("insufficient_credit"));
        Assert.That(summary.Completed, Is.EqualTo(4));
        Assert.That(summary.ExitCode, Is.EqualTo(1));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(4));
    }

    [Test]
    public async Task Circuit_breaker_stops_after_five_alike_failures_and_keeps_the_rest_pending()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["HeyGen"]!["MaxConcurrency"] = 1);
        var csv = harness.WriteCsv(20, firstName: _ => "SANDBOX_REFUSE_CREATE");

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.StoppedBecause, Does.Contain("circuit breaker").And.Contain("invalid_parameter"));
        Assert.That((summary.Failed, summary.Submitted, summary.ExitCode), Is.EqualTo((5L, 0L, 1)));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(5));
        var counts = await harness.Ledger(TimeProvider.System).CountByStateAsync("welcome", CancellationToken.None);
        Assert.That(counts, Is.EqualTo(new Dictionary<string, int> { ["failed"] = 5 }), "the other 15 rows were never claimed");
    }

    [Test]
    public async Task Max_credits_stops_submitting_and_a_rerun_continues()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300), WalletCurrency = "credits" });
        var csv = harness.WriteCsv(20);

        var first = await harness.RunAsync(csv, maxCredits: 0.5);
        var second = await harness.RunAsync(csv);

        Assert.That((first.Submitted, first.Completed, first.ExitCode), Is.EqualTo((6L, 6L, 1)), () => first.StoppedBecause + string.Join("\n", first.Problems));
        Assert.That(first.StoppedBecause, Does.Contain("--max-spend 0.5 credits reached"));
        Assert.That((second.AlreadyDone, second.Submitted), Is.EqualTo((6L, 14L)));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(20));
    }
}
