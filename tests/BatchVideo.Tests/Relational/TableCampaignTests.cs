using BatchVideo.Sandbox;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Relational;

/// <summary>A campaign over a CRM table, end to end against the sandbox, on every engine.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class TableCampaignTests(string engine)
{
    private sealed class ContactRow
    {
        public string Id { get; set; } = "";

        public string? Video_Status { get; set; }

        public string? Video_Url { get; set; }

        public object? Video_Updated_At { get; set; }
    }

    [Test]
    public async Task Table_campaign_writes_every_url_back_and_a_rerun_sends_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'");

        var first = await harness.RunAsync(null);
        var second = await harness.RunAsync(null);

        var rows = (await database.QueryAsync<ContactRow>($"SELECT id, video_status, video_url, video_updated_at FROM {database.ContactsTable} ORDER BY id"))
            .ToDictionary(r => r.Id);
        Assert.That((first.Read, first.Rejected, first.Completed, first.ExitCode), Is.EqualTo((23L, 1L, 22L, 1)), () => first.StoppedBecause + "\n" + string.Join("\n", first.Problems));
        Assert.That(first.Problems.Single().Key, Is.EqualTo("C-1007"));
        Assert.That(rows.Values.Count(r => r.Video_Url is { Length: > 0 } && r.Video_Status == "completed" && r.Video_Updated_At is not null), Is.EqualTo(22));
        Assert.That(rows["C-1005"].Video_Url, Is.Null, "filtered out by the campaign's Filter");
        Assert.That((rows["C-1007"].Video_Url, rows["C-1007"].Video_Status), Is.EqualTo(((string?)null, "rejected")));
        Assert.That((second.Submitted, second.Rejected), Is.EqualTo((0L, 1L)), "the rejected row is reported again, nothing is sent");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(22));
    }

    [Test]
    public async Task Two_workers_on_one_table_submit_every_row_once()
    {
        const int count = 240;
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200) });
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.CreateSampleContactsAsync();
        await database.ExecuteAsync($"DELETE FROM {database.ContactsTable}");
        await database.ExecuteAsync(
            $"INSERT INTO {database.ContactsTable} (id, first_name, company, status) VALUES (@Id, @Name, @Company, 'active')",
            Enumerable.Range(1, count).Select(i => new { Id = $"K{i:D5}", Name = $"Name{i}", Company = $"Company {i}" }));
        harness.UseTable(database, database.ContactsTable);

        var workers = await Task.WhenAll(harness.RunAsync(null), harness.RunAsync(null));

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(count));
        Assert.That(harness.CreatedMarkers().Distinct().Count(), Is.EqualTo(count));
        Assert.That(workers.Sum(w => w.Submitted), Is.EqualTo(count));
        Assert.That(workers.All(w => w.Submitted > 0), Is.True, "both workers took a share: " + string.Join(", ", workers.Select(w => w.Submitted)));
        var urls = await database.QueryAsync<string?>($"SELECT video_url FROM {database.ContactsTable}");
        Assert.That(urls, Has.All.Not.Null.And.Not.Empty);
    }

    [TestCase("Contacts]; DROP TABLE x;--", "does not exist")]
    [TestCase("contacts\"; DROP TABLE x;--", "does not exist")]
    [TestCase("a.b.c", "is not a table name")]
    public async Task Hostile_table_names_are_rejected_with_a_clear_error(string table, string message)
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, table);

        var error = await Assert.ThrowsAsync<SourceException>(() => harness.RunAsync(null));

        Assert.That(error!.Message, Does.Contain(message));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
        Assert.That(await database.QueryAsync<long>($"SELECT COUNT(*) FROM {database.ContactsTable}"), Is.EqualTo(new[] { 24L }));
    }

    [Test]
    public async Task Hostile_column_and_filter_are_rejected()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.CreateSampleContactsAsync();

        harness.UseTable(database, database.ContactsTable, change: c => c["Campaigns"]!["welcome"]!["Columns"] = new System.Text.Json.Nodes.JsonObject { ["Url"] = "video_url] = 1; DROP TABLE x;--" });
        var column = await Assert.ThrowsAsync<SourceException>(() => harness.RunAsync(null));
        harness.UseTable(database, database.ContactsTable, filter: "1 = 1; DROP TABLE contacts");
        var filter = await Assert.ThrowsAsync<SourceException>(() => harness.RunAsync(null));

        Assert.That(column!.Message, Does.Contain("URL column 'video_url] = 1; DROP TABLE x;--' is not in table"));
        Assert.That(filter!.Message, Does.Contain("single SQL condition"));
    }

    [Test]
    public async Task Url_column_that_cannot_hold_a_url_is_a_start_up_error()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.ExecuteAsync(engine == "sqlite"
            ? "CREATE TABLE narrow (id TEXT PRIMARY KEY, first_name TEXT, company TEXT, video_id TEXT, video_status TEXT, video_url INTEGER, video_updated_at TEXT)"
            : "CREATE TABLE narrow (id varchar(20) PRIMARY KEY, first_name varchar(50), company varchar(50), video_id varchar(64), video_status varchar(32), video_url varchar(200), video_updated_at varchar(40))");
        harness.UseTable(database, "narrow");

        var error = await Assert.ThrowsAsync<SourceException>(() => harness.RunAsync(null));

        Assert.That(error!.Message, Does.Contain("video_url").And.Contain("at least 1000"));
    }

    [Test]
    public async Task Integer_keys_page_and_write_back_in_their_own_type()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        var url = engine == "sqlserver" ? "nvarchar(max)" : "text";
        await database.ExecuteAsync($"CREATE TABLE numbered (id integer PRIMARY KEY, first_name varchar(50), company varchar(50), video_id varchar(64), video_status varchar(32), video_url {url}, video_updated_at varchar(40))");
        await database.ExecuteAsync("INSERT INTO numbered (id, first_name, company) VALUES (@Id, @Name, 'Acme')", Enumerable.Range(1, 120).Select(i => new { Id = i * 7, Name = $"N{i}" }));
        harness.UseTable(database, "numbered");

        var summary = await harness.RunAsync(null);

        Assert.That(summary.Completed, Is.EqualTo(120));
        Assert.That(await database.QueryAsync<long>("SELECT COUNT(*) FROM numbered WHERE video_url IS NOT NULL"), Is.EqualTo(new[] { 120L }));
    }
}
