using System.Text;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Reliability;

/// <summary>
/// The no-duplicates promise under fire: twenty SIGKILLs spread over a 1,200-row batch, against a
/// sandbox that answers 10% of requests 500, 5% with a spurious 429 and holds 1% of creates past the
/// client's timeout. Afterwards every row has exactly one video and its URL, and nothing else changed.
/// </summary>
[TestFixture]
[Category("Reliability")]
[Category("Integration")]
[NonParallelizable]
public sealed class KillAndFaultTests
{
    private const int Rows = 1200;
    private const int Kills = 20;

    private static SandboxOptions FaultySandbox(int seed) => new()
    {
        RenderTime = TimeSpan.FromMilliseconds(300),
        ServerErrorRate = 0.10,
        RateLimitFaultRate = 0.05,
        HangRate = 0.01,
        HangDuration = TimeSpan.FromSeconds(2),
        // An Enterprise account's cap, well above a pay-as-you-go one: this suite is about kills and faults,
        // and 1,200 renders at 10 at a time would take minutes (JobCapRunTests covers the cap).
        MaxConcurrentJobs = 100,
        Seed = seed,
    };

    /// <summary>Busy enough that a kill lands mid-batch; a hung create outlives the 1-second attempt timeout.</summary>
    private static void Pacing(System.Text.Json.Nodes.JsonObject config)
    {
        config["HeyGen"]!["MaxConcurrency"] = 16;
        config["HeyGen"]!["MaxConcurrentJobs"] = 100;
        config["HeyGen"]!["RequestsPerSecond"] = 500;
        config["HeyGen"]!["PollInterval"] = "00:00:00.200";
        config["HeyGen"]!["AttemptTimeout"] = "00:00:01";
        config["HeyGen"]!["MaxRetries"] = 20;
    }

    [Test]
    public async Task Csv_batch_killed_twenty_times_under_faults_has_one_video_per_row_and_an_intact_file()
    {
        await using var harness = await PipelineHarness.StartAsync(FaultySandbox(seed: 7001));
        harness.WriteConfig(Pacing);
        var csv = harness.WriteCsv(Rows);
        var original = File.ReadAllBytes(csv);
        string[] args = ["run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--quiet"];
        var storm = new KillStorm(harness, Rows, seed: 20260107);

        await storm.KillAsync(args, Kills);
        var final = await storm.FinishAsync(args);

        Assert.That(storm.Kills, Is.GreaterThanOrEqualTo(Kills - 2), "the kills must land while runs are busy");
        Assert.That(final.ExitCode, Is.Zero, final.Output + final.Error);
        Assert.That(harness.Sandbox.Stats.InjectedFaults, Is.GreaterThan(100), "the sandbox must really have misbehaved");
        Assert.That(harness.CreatedMarkers().Order(StringComparer.Ordinal), Is.EqualTo(storm.ExpectedMarkers("welcome", i => $"C-{i}")),
            "exactly one video per row");
        AssertFileIntactWithUrls(original, File.ReadAllBytes(csv));
        Assert.That(Directory.GetFiles(harness.Folder.Path, ".contacts.csv.*.tmp"), Is.Empty, "no temp file of a killed write-back is left");
    }

    [Test]
    [Category("Postgres")]
    public async Task Table_batch_killed_twenty_times_with_the_database_restarted_mid_run_has_one_video_per_row()
    {
        var server = PostgresServer.Shared;
        await using var harness = await PipelineHarness.StartAsync(FaultySandbox(seed: 7002));
        await using var database = await TestDatabase.CreateAsync("postgres", harness.Folder);
        await database.CreateSampleContactsAsync();
        await database.ExecuteAsync("DELETE FROM public.contacts");
        await database.ExecuteAsync(
            "INSERT INTO public.contacts (id, first_name, last_name, company) SELECT 'K' || lpad(g::text, 5, '0'), 'Name' || g, 'O''Brien \"' || g || '\"', 'Company ' || g || ', Inc.' FROM generate_series(1, @Rows) AS g",
            new { Rows });
        var before = await database.QueryAsync<(string Id, string FirstName, string LastName, string Company)>(
            "SELECT id, first_name, last_name, company FROM public.contacts ORDER BY id");
        harness.UseTable(database, "public.contacts", change: c =>
        {
            Pacing(c);
            c["Campaigns"]!["welcome"]!["Source"]!["PageSize"] = 500;
        });
        string[] args = ["run", "--config", harness.ConfigPath, "--quiet"];
        var storm = new KillStorm(harness, Rows, seed: 20260108);
        var restarted = false;

        await storm.KillAsync(args, Kills, between: async i =>
        {
            if (i == Kills / 2)
            {
                // The CRM database (and the ledger in it) goes away under a busy run and comes back.
                server.Stop();
                await Task.Delay(TimeSpan.FromSeconds(2));
                server.Start();
                // The test's own pooled connections died with the server; the runs reconnect by themselves.
                Npgsql.NpgsqlConnection.ClearAllPools();
                restarted = true;
            }
        });
        var final = await storm.FinishAsync(args);

        Assert.That(restarted, Is.True, "the restart must happen while a run is alive");
        Assert.That(final.ExitCode, Is.Zero, final.Output + final.Error);
        Assert.That(harness.CreatedMarkers().Order(StringComparer.Ordinal), Is.EqualTo(storm.ExpectedMarkers("welcome", i => $"K{i:D5}")),
            "exactly one video per row");
        var after = await database.QueryAsync<(string Id, string FirstName, string LastName, string Company)>(
            "SELECT id, first_name, last_name, company FROM public.contacts ORDER BY id");
        Assert.That(after, Is.EqualTo(before), "the other columns are untouched");
        var written = await database.QueryAsync<long>(
            "SELECT COUNT(*) FROM public.contacts WHERE video_status = 'completed' AND video_url LIKE 'http%' AND video_id IS NOT NULL");
        Assert.That(written, Is.EqualTo(new[] { (long)Rows }), "every URL is written back");
    }

    /// <summary>
    /// The header and every row keep their original bytes, followed by the three appended cells: a video
    /// id, "completed" and a URL.
    /// </summary>
    private static void AssertFileIntactWithUrls(byte[] original, byte[] final)
    {
        var before = Encoding.UTF8.GetString(original).Split('\n');
        var after = Encoding.UTF8.GetString(final).Split('\n');
        Assert.That(after, Has.Length.EqualTo(before.Length), "same number of lines");
        Assert.That(after[0], Is.EqualTo(before[0] + ",video_id,video_status,video_url"));
        var damaged = new List<string>();
        for (var i = 1; i < before.Length; i++)
        {
            if (before[i].Length == 0)
            {
                Assert.That(after[i], Is.Empty, "the final line break stays");
                continue;
            }

            var cells = after[i].StartsWith(before[i] + ",", StringComparison.Ordinal) ? after[i][(before[i].Length + 1)..].Split(',') : [];
            if (cells is not [{ Length: 32 }, "completed", var url] || !url.StartsWith("http", StringComparison.Ordinal))
            {
                damaged.Add($"line {i + 1}: {after[i]}");
            }
        }

        Assert.That(damaged, Is.Empty, "every row keeps its bytes and gains its video");
    }
}
