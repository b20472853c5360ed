using System.Globalization;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using BatchVideo.Scheduling;
using BatchVideo.Tests.Support;
using Dapper;

namespace BatchVideo.Tests.Scheduling;

/// <summary>A campaign's nightly submission window (<c>SubmitUntil</c>) under <c>serve</c>.</summary>
[TestFixture]
public sealed class SubmissionWindowTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Test]
    public void A_run_fired_before_the_end_of_the_window_ends_it_the_same_day()
    {
        var until = CampaignJob.SubmitUntil(new TimeOnly(6, 0), Utc, new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero));

        Assert.That(until, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void A_run_fired_after_the_end_of_the_window_ends_it_the_next_day()
    {
        var until = CampaignJob.SubmitUntil(new TimeOnly(6, 0), Utc, new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero));

        Assert.That(until, Is.EqualTo(new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void The_window_is_read_in_the_scheduling_time_zone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        // 02:00 UTC in July is 04:00 in Berlin (UTC+2): 06:00 Berlin is 04:00 UTC.
        var until = CampaignJob.SubmitUntil(new TimeOnly(6, 0), berlin, new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));

        Assert.That(until, Is.EqualTo(new DateTimeOffset(2026, 7, 1, 4, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Without_a_window_a_run_sends_every_row()
    {
        Assert.That(CampaignJob.SubmitUntil(null, Utc, DateTimeOffset.UtcNow), Is.Null);
    }

    [Test]
    [Category("Integration")]
    public async Task Serve_leaves_the_rest_pending_when_the_window_ends_and_sends_it_at_the_next_fire()
    {
        const int count = 60;
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromSeconds(2) });
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        await database.ExecuteAsync("DELETE FROM contacts");
        await database.ExecuteAsync("INSERT INTO contacts (id, first_name, company) VALUES (@Id, @Name, 'Acme')", Enumerable.Range(1, count).Select(i => new { Id = $"K{i:D4}", Name = $"N{i}" }));
        // Ten slots and two-second renders: about five creates a second, so a window ending 10 s from now (the
        // node takes a few of them to start) sends part of the table.
        var windowEnd = DateTimeOffset.UtcNow.AddSeconds(10).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        harness.UseTable(database, "contacts", change: c =>
        {
            c["Campaigns"]!["welcome"]!["SubmitUntil"] = windowEnd;
            c["Scheduling"] = new JsonObject { ["JobStore"] = "memory", ["CompletionInterval"] = "00:00:01" };
        });

        await using var node = await ServeNode.StartAsync(harness);
        using var http = new HttpClient { BaseAddress = node.Address };
        (await http.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await Eventually.HappensAsync(() => Task.FromResult(node.Log.Contains("Campaign welcome run ended", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), () => node.Log);
        var sentInWindow = harness.Sandbox.Stats.VideosCreated;
        await using var ledger = await database.Engine.OpenAsync(database.ConnectionString, CancellationToken.None);
        var pending = await ledger.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE state = 'pending'");
        // The next fire: the window's end has passed, so its next end is tomorrow.
        (await http.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), null)).EnsureSuccessStatusCode();
        await Eventually.HappensAsync(
            async () => (await database.QueryAsync<long>("SELECT COUNT(*) FROM contacts WHERE video_url IS NOT NULL AND video_url <> ''")).Single() == count,
            TimeSpan.FromSeconds(90),
            () => node.Log);

        Assert.That(sentInWindow, Is.InRange(10, count - 10), "the window ended mid-table");
        Assert.That(pending, Is.EqualTo(count - sentInWindow), "every row not sent is pending, none left claimed");
        Assert.That(node.Log, Does.Contain("submission window"));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(count), "nothing paid twice");
    }
}
