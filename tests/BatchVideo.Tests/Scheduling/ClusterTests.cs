using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Scheduling;

/// <summary>Two <c>serve</c> nodes on one PostgreSQL job store and ledger: a cluster, with a node dying mid-run.</summary>
[TestFixture]
[Category("Integration")]
[Category("Postgres")]
public sealed class ClusterTests
{
    private sealed class RunRow
    {
        public string Holder { get; set; } = "";

        public long StartedAt { get; set; }

        public long? FinishedAt { get; set; }
    }

    private static async Task<(PipelineHarness Harness, TestDatabase Database)> ClusterAsync(int rows, double requestsPerSecond, string? schedule)
    {
        var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300) });
        var database = await TestDatabase.CreateAsync("postgres", harness.Folder);
        await database.CreateSampleContactsAsync();
        await database.ExecuteAsync("DELETE FROM public.contacts");
        await database.ExecuteAsync(
            "INSERT INTO public.contacts (id, first_name, company) VALUES (@Id, @Name, 'Acme')",
            Enumerable.Range(1, rows).Select(i => new { Id = $"K{i:D4}", Name = $"N{i}" }));
        harness.UseTable(database, "public.contacts", change: c =>
        {
            c["HeyGen"]!["RequestsPerSecond"] = requestsPerSecond;
            c["Campaigns"]!["welcome"]!["Schedule"] = schedule;
            c["Scheduling"] = new JsonObject
            {
                ["JobStore"] = "postgres",
                ["CompletionInterval"] = "00:00:01",
                ["CheckinInterval"] = "00:00:01",
            };
        });
        var migrate = await harness.RunCliAsync("db", "migrate", "--config", harness.ConfigPath);
        Assert.That(migrate.ExitCode, Is.Zero, migrate.Error);
        return (harness, database);
    }


    [Test]
    public async Task A_node_killed_mid_run_is_replaced_by_the_other_without_a_duplicate()
    {
        const int count = 200;
        var (harness, database) = await ClusterAsync(count, requestsPerSecond: 40, schedule: null);
        await using var _ = harness;
        await using var __ = database;
        await using var first = await ServeNode.StartAsync(harness);
        await using var second = await ServeNode.StartAsync(harness);

        var trigger = await harness.RunCliAsync("trigger", "welcome", "--config", harness.ConfigPath);
        Assert.That(trigger.ExitCode, Is.Zero, trigger.Output + trigger.Error);
        await Eventually.HappensAsync(() => Task.FromResult(harness.Sandbox.Stats.VideosCreated >= 40), TimeSpan.FromSeconds(60), () => first.Log + second.Log);
        var running = (await database.QueryAsync<string>("SELECT holder FROM batchvideo.runs WHERE finished_at IS NULL")).Single();
        var (victim, survivor) = running.Contains($":{first.ProcessId}:", StringComparison.Ordinal) ? (first, second) : (second, first);
        victim.KillHard();
        var createdAtKill = harness.Sandbox.Stats.VideosCreated;

        await Eventually.HappensAsync(
            async () => (await database.QueryAsync<long>("SELECT COUNT(*) FROM public.contacts WHERE video_url IS NOT NULL")).Single() == count,
            TimeSpan.FromSeconds(120),
            () => survivor.Log);

        Assert.That(createdAtKill, Is.LessThan(count), "the kill landed mid-run");
        Assert.That(survivor.Log, Does.Contain("recovering: True"), "the survivor recovered the dead node's run");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(count));
        Assert.That(harness.CreatedMarkers().Distinct().Count(), Is.EqualTo(count));
    }

    [Test]
    public async Task Each_scheduled_fire_runs_on_exactly_one_node()
    {
        const int count = 60;
        var (harness, database) = await ClusterAsync(count, requestsPerSecond: 500, schedule: "*/2 * * * * ?");
        await using var _ = harness;
        await using var __ = database;
        await using var first = await ServeNode.StartAsync(harness);
        await using var second = await ServeNode.StartAsync(harness);

        var from = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var to = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var runs = await database.QueryAsync<RunRow>(
            "SELECT holder, started_at AS StartedAt, finished_at AS FinishedAt FROM batchvideo.runs WHERE started_at BETWEEN @From AND @To ORDER BY started_at", new { From = from, To = to });

        // Five fires in ten seconds; had both nodes run each fire, there would be about ten runs.
        Assert.That(runs, Has.Count.InRange(4, 6), "one run per fire: " + string.Join(", ", runs.Select(r => r.Holder)));
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.That(runs[i].StartedAt, Is.GreaterThanOrEqualTo(runs[i - 1].FinishedAt ?? long.MaxValue), "two runs of one campaign overlapped");
        }

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(count));
    }
}
