using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;
using System.Net.Http.Json;
using Dapper;

namespace BatchVideo.Tests.Scheduling;

/// <summary><c>batchvideo serve</c> as operators run it: a real process, its schedule, its shutdown.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ServeTests
{
    private static async Task<long> UrlsAsync(TestDatabase database) =>
        (await database.QueryAsync<long>($"SELECT COUNT(*) FROM {database.ContactsTable} WHERE video_url IS NOT NULL AND video_url <> ''")).Single();

    /// <summary>Ledger entries that hold the id of a video HeyGen made.</summary>
    private static async Task<long> RecordedVideosAsync(TestDatabase database)
    {
        await using var ledger = await database.Engine.OpenAsync(database.ConnectionString, CancellationToken.None);
        return await ledger.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE video_id IS NOT NULL");
    }

    [Test]
    public async Task Serve_runs_the_campaign_on_its_schedule_and_the_completion_job_writes_urls_back()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromSeconds(1) });
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
        {
            c["Campaigns"]!["welcome"]!["Schedule"] = "*/2 * * * * ?";
            c["Scheduling"] = new System.Text.Json.Nodes.JsonObject { ["JobStore"] = "memory", ["CompletionInterval"] = "00:00:01" };
        });

        await using var node = await ServeNode.StartAsync(harness);
        await Eventually.HappensAsync(async () => await UrlsAsync(database) == 22, TimeSpan.FromSeconds(60), () => node.Log);
        var status = await harness.RunCliAsync("status", "--config", harness.ConfigPath);
        node.Terminate();
        var exited = await node.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(22), "later fires find nothing new to send");
        Assert.That(status.Output, Does.Contain("schedule      */2 * * * * ?").And.Contain("completed 22"));
        Assert.That(node.Log, Does.Contain("Campaign welcome fired"));
        Assert.That((exited, node.ExitCode), Is.EqualTo((true, 0)), node.Log);
    }

    [Test]
    public async Task Sigterm_waits_for_creates_in_flight_and_records_their_videos()
    {
        // Every create is made at once but answered only after 4 s: longer than System.CommandLine's two seconds
        // after a signal, well within the 30 s a create in flight gets once the run is asked to stop.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { HangRate = 1, HangDuration = TimeSpan.FromSeconds(4) });
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
            c["Scheduling"] = new System.Text.Json.Nodes.JsonObject { ["JobStore"] = "memory", ["CompletionInterval"] = "00:01:00" });

        await using var node = await ServeNode.StartAsync(harness);
        using var http = new HttpClient { BaseAddress = node.Address };
        (await http.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await Eventually.HappensAsync(() => Task.FromResult(harness.Sandbox.Stats.VideosCreated >= 1), TimeSpan.FromSeconds(30), () => node.Log);
        node.Terminate();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        node.Terminate(); // a second signal does not cut the wait short (docs/operating.md, Stopping)
        var exited = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var created = harness.Sandbox.Stats.VideosCreated;

        Assert.That((exited, node.ExitCode), Is.EqualTo((true, 0)), node.Log);
        Assert.That(await RecordedVideosAsync(database), Is.EqualTo(created), node.Log);
        Assert.That(node.Log, Does.Contain("Stopped; the next start carries on from the ledger"));
    }

    [Test]
    public async Task Sigterm_mid_run_loses_nothing_and_a_restart_finishes_without_paying_twice()
    {
        const int count = 150;
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300) });
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        await database.ExecuteAsync("DELETE FROM contacts");
        await database.ExecuteAsync("INSERT INTO contacts (id, first_name, company) VALUES (@Id, @Name, 'Acme')", Enumerable.Range(1, count).Select(i => new { Id = $"K{i:D4}", Name = $"N{i}" }));
        harness.UseTable(database, "contacts", change: c =>
        {
            c["HeyGen"]!["RequestsPerSecond"] = 40;
            c["Scheduling"] = new System.Text.Json.Nodes.JsonObject { ["JobStore"] = "memory", ["CompletionInterval"] = "00:00:01" };
        });

        int exitCode;
        await using (var node = await ServeNode.StartAsync(harness))
        {
            using var http = new HttpClient { BaseAddress = node.Address };
            (await http.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null)).EnsureSuccessStatusCode();
            await Eventually.HappensAsync(() => Task.FromResult(harness.Sandbox.Stats.VideosCreated >= 30), TimeSpan.FromSeconds(30), () => node.Log);
            node.Terminate();
            Assert.That(await node.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, node.Log);
            exitCode = node.ExitCode;
        }

        var createdAtStop = harness.Sandbox.Stats.VideosCreated;
        // Rows claimed but not yet sent at the stop may stay "submitting" (to resume: the rerun sends them with their
        // Idempotency-Key); what a graceful stop owes is every video HeyGen made, recorded by its id.
        var recorded = await RecordedVideosAsync(database);
        var claimed = (await database.QueryAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE state = 'claimed'")).Single();
        var run = await harness.RunCliAsync("run", "--campaign", "welcome", "--config", harness.ConfigPath);

        Assert.That(createdAtStop, Is.LessThan(count), "the stop landed mid-run");
        Assert.That(exitCode, Is.Zero, "serve finished its shutdown rather than being cut short");
        Assert.That(recorded, Is.EqualTo(createdAtStop), "every create HeyGen answered before the stop is recorded with its video id");
        Assert.That(claimed, Is.Zero, "rows claimed and not sent went back to pending, for the next start to take at once");
        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(count));
        Assert.That(await UrlsAsync(database), Is.EqualTo(count));
    }
}

[TestFixture]
[Category("Integration")]
public sealed class MissedRunTests
{
    [Test]
    public async Task A_node_that_was_off_at_fire_time_runs_the_campaign_once_on_start()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        // Fires once a year at 02:00 on 1 January: the last run, a year and a day ago, missed it.
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
        {
            c["Campaigns"]!["welcome"]!["Schedule"] = "0 0 2 1 1 ?";
            c["Scheduling"] = new System.Text.Json.Nodes.JsonObject { ["JobStore"] = "memory", ["CompletionInterval"] = "00:01:00" };
        });
        var ledger = harness.Ledger(TimeProvider.System);
        await ledger.MigrateAsync(CancellationToken.None);
        var longAgo = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-366));
        await harness.Ledger(longAgo).RecordRunStartedAsync("old", "welcome", "elsewhere", CancellationToken.None);

        await using var node = await ServeNode.StartAsync(harness);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (harness.Sandbox.Stats.VideosCreated < 22 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(22), node.Log);
        Assert.That(System.Text.RegularExpressions.Regex.Count(node.Log, "Campaign welcome fired"), Is.EqualTo(1), node.Log);
        Assert.That(node.Log, Does.Contain("missed its run"));
    }
}

[TestFixture]
[Category("Integration")]
public sealed class ServeWebhookTests
{
    [Test]
    public async Task Serve_completes_every_video_through_webhooks_alone_with_polling_off()
    {
        // An Enterprise cap above the 22 rows: no row waits for a render slot, so nothing has a reason to poll.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300), MaxConcurrentJobs = 30 });
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        var address = ServeNode.FreeAddress();
        using var http = new HttpClient { BaseAddress = harness.Sandbox.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", "test-key");
        using var registered = await http.PostAsync(
            new Uri("v3/webhooks/endpoints", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { url = new Uri(address, "webhooks/heygen").AbsoluteUri }));
        var secret = (await registered.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data").GetProperty("secret").GetString();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
        {
            c["HeyGen"]!["WebhookSecret"] = secret;
            c["HeyGen"]!["MaxConcurrentJobs"] = 30;
            c["Scheduling"] = new System.Text.Json.Nodes.JsonObject { ["JobStore"] = "memory", ["CompletionInterval"] = "00:00:01", ["PollInFlight"] = false };
        });

        await using var node = await ServeNode.StartAsync(harness, address);
        using var serve = new HttpClient { BaseAddress = address };
        (await serve.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await Eventually.HappensAsync(
            async () => (await database.QueryAsync<long>("SELECT COUNT(*) FROM contacts WHERE video_url LIKE 'http://127.0.0.1:%/video/%'")).Single() == 22,
            TimeSpan.FromSeconds(60),
            () => node.Log);

        // The documented success payload has no page link: each delivery is followed by one GET, nothing is polled.
        Assert.That(harness.Sandbox.Stats.StatusRequests, Is.EqualTo(22), "one GET per delivery, no polling");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(22));
    }

    [Test]
    public async Task With_downloads_serve_stores_each_file_and_writes_its_location()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300) });
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
        {
            c["Campaigns"]!["welcome"]!["UrlField"] = "download";
            c["Storage"] = new System.Text.Json.Nodes.JsonObject { ["Folder"] = "videos" };
            c["Scheduling"] = new System.Text.Json.Nodes.JsonObject { ["JobStore"] = "memory", ["CompletionInterval"] = "00:00:01" };
        });

        await using var node = await ServeNode.StartAsync(harness);
        using var serve = new HttpClient { BaseAddress = node.Address };
        (await serve.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await Eventually.HappensAsync(
            async () => (await database.QueryAsync<long>("SELECT COUNT(*) FROM contacts WHERE video_url LIKE '%.mp4'")).Single() == 22,
            TimeSpan.FromSeconds(60),
            () => node.Log);

        var paths = await database.QueryAsync<string>("SELECT video_url FROM contacts WHERE video_url IS NOT NULL");
        Assert.That(paths.Select(File.Exists), Is.All.True);
        Assert.That(Directory.GetFiles(harness.Folder.File("videos"), "*.mp4", SearchOption.AllDirectories), Has.Length.EqualTo(22));
    }
}
