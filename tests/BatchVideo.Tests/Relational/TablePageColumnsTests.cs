using BatchVideo.Databases;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Relational;

/// <summary>
/// The recipient-page columns of a CRM table (<c>Columns:Page</c>, <c>Views</c>…) are written by key into done rows,
/// in the columns' own types, and a row whose page cells are already right is not touched (nor its updated-at stamp).
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class TablePageColumnsTests(string engine)
{
    private sealed class PageRow
    {
        public string Id { get; set; } = "";

        public string? First_Name { get; set; }

        public string? Video_Url { get; set; }

        public string? Page_Url { get; set; }

        public long? Views { get; set; }

        public object? First_Viewed_At { get; set; }

        public string? Watched { get; set; }

        public string? Email_Html { get; set; }

        public object? Video_Updated_At { get; set; }
    }

    [Test]
    public async Task Page_columns_are_written_by_key_and_unchanged_rows_are_left_alone()
    {
        using var folder = new TempFolder();
        await using var database = await TestDatabase.CreateAsync(engine, folder);
        var (text, number, time) = database.Engine.Kind switch
        {
            EngineKind.SqlServer => ("nvarchar(max)", "int", "datetime2"),
            EngineKind.Postgres => ("text", "integer", "timestamp"),
            _ => ("TEXT", "INTEGER", "DATETIME"),
        };
        var table = database.Engine.Kind == EngineKind.Sqlite ? "crm_contacts" : database.Engine.Kind == EngineKind.Postgres ? "public.crm_contacts" : "dbo.crm_contacts";
        await database.ExecuteAsync($"""
            CREATE TABLE {table} (id varchar(20) NOT NULL PRIMARY KEY, first_name {text} NULL, video_id {text} NULL, video_status {text} NULL,
                video_url {text} NULL, page_url {text} NULL, views {number} NULL, first_viewed_at {time} NULL, watched varchar(20) NULL,
                email_html {text} NULL, video_updated_at {time} NULL)
            """);
        await database.ExecuteAsync(
            $"INSERT INTO {table} (id, first_name, video_url) VALUES (@Id, @Name, @Url)",
            new[] { new { Id = "C-1", Name = "Zoë \"Z\" O'Brien", Url = (string?)"https://x/1" }, new { Id = "C-2", Name = "Bo", Url = (string?)"https://x/2" }, new { Id = "C-3", Name = "Cy", Url = (string?)null } });
        var columns = new WriteBackColumns { Page = "page_url", Views = "views", FirstViewedAt = "first_viewed_at", WatchedPercent = "watched", EmailHtml = "email_html" };
        var source = await SqlTableSource.OpenAsync(
            database.Engine, database.ConnectionString, new TableSourceOptions { Table = table, UpdatedAtColumn = "video_updated_at" }, "id", columns, TimeProvider.System, CancellationToken.None);
        var writer = source.Pages!;
        Assert.That(writer.Facts, Is.EqualTo(new[] { "Page", "Views", "FirstViewedAt", "WatchedPercent", "EmailHtml" }));

        await writer.WriteAsync([Cells("C-1", "https://v.example/v/t1", "0", null, "0"), Cells("C-2", "https://v.example/v/t2", "0", null, "0")], CancellationToken.None);
        await database.ExecuteAsync($"UPDATE {table} SET video_updated_at = NULL");
        await writer.WriteAsync([Cells("C-1", "https://v.example/v/t1", "0", null, "0"), Cells("C-2", "https://v.example/v/t2", "3", "2026-12-06T04:10:07Z", "75")], CancellationToken.None);

        var rows = (await database.QueryAsync<PageRow>($"SELECT * FROM {table} ORDER BY id")).ToDictionary(r => r.Id);
        Assert.That((rows["C-1"].Page_Url, rows["C-1"].Views, rows["C-1"].First_Viewed_At, rows["C-1"].Watched), Is.EqualTo(("https://v.example/v/t1", (long?)0, (object?)null, "0")));
        Assert.That(rows["C-1"].Video_Updated_At, Is.Null, "C-1's cells were already right: the row was not touched");
        Assert.That((rows["C-2"].Views, rows["C-2"].Watched), Is.EqualTo(((long?)3, "75")));
        Assert.That(Moment(rows["C-2"].First_Viewed_At), Is.EqualTo(new DateTime(2026, 12, 6, 4, 10, 7)));
        Assert.That(rows["C-2"].Video_Updated_At, Is.Not.Null, "a changed row gets its updated-at stamp");
        Assert.That(rows["C-2"].Email_Html, Is.EqualTo("<a href=\"https://v.example/v/t2\">x</a>"));
        Assert.That((rows["C-1"].First_Name, rows["C-1"].Video_Url, rows["C-3"].Page_Url, rows["C-3"].Video_Url), Is.EqualTo(("Zoë \"Z\" O'Brien", "https://x/1", (string?)null, (string?)null)),
            "other cells and other rows unchanged");
    }

    [Test]
    public async Task A_table_campaign_writes_pages_and_a_later_run_brings_the_views_into_done_rows()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.CreateSampleContactsAsync();
        var (text, number) = database.Engine.Kind switch
        {
            EngineKind.SqlServer => ("nvarchar(max)", "int"),
            EngineKind.Postgres => ("text", "integer"),
            _ => ("TEXT", "INTEGER"),
        };
        foreach (var (column, type) in new[] { ("page_url", text), ("views", number), ("first_viewed_at", text), ("watched_percent", number), ("cta_clicked_at", text), ("email_html", text) })
        {
            await database.ExecuteAsync($"ALTER TABLE {database.ContactsTable} ADD {column} {type} NULL");
        }

        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
        {
            BatchVideo.Tests.Pages.PageWriteBackTests.TurnPagesOn(c, new Uri("http://127.0.0.1:5999/"));
            c["Campaigns"]!["welcome"]!["Pages"]!["NameColumn"] = "first_name";
        });
        var first = await harness.RunAsync(null);
        var ledger = harness.Ledger(TimeProvider.System);
        var pages = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        await ledger.RecordPageEventAsync(pages["C-1002"].PageToken, BatchVideo.Pages.PageEvents.Opened, null, new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero), CancellationToken.None);
        await ledger.RecordPageEventAsync(pages["C-1002"].PageToken, BatchVideo.Pages.PageEvents.Progress, 75, new DateTimeOffset(2026, 12, 6, 9, 0, 30, TimeSpan.Zero), CancellationToken.None);
        var second = await harness.RunAsync(null);

        var rows = (await database.QueryAsync<PageRow>($"SELECT id, first_name, video_url, page_url, views, first_viewed_at, CAST(watched_percent AS {(database.Engine.Kind == EngineKind.SqlServer ? "nvarchar(10)" : database.Engine.Kind == EngineKind.Postgres ? "text" : "TEXT")}) AS watched, email_html FROM {database.ContactsTable}"))
            .ToDictionary(r => r.Id);
        Assert.That((first.Completed, second.Submitted, harness.Sandbox.Stats.VideosCreated), Is.EqualTo((22L, 0L, 22)));
        Assert.That(rows.Values.Count(r => r.Page_Url is { } page && page.StartsWith("http://127.0.0.1:5999/v/", StringComparison.Ordinal)), Is.EqualTo(22), "every done row has its page");
        Assert.That((rows["C-1002"].Views, rows["C-1002"].First_Viewed_At, rows["C-1002"].Watched), Is.EqualTo(((long?)1, (object?)"2026-12-06T09:00:00Z", "75")));
        Assert.That(rows.Values.Where(r => r.Id != "C-1002" && r.Page_Url is not null).Select(r => (r.Views, r.First_Viewed_At)).Distinct(), Is.EqualTo(new[] { ((long?)0, (object?)null) }));
        Assert.That((rows["C-1005"].Page_Url, rows["C-1007"].Page_Url), Is.EqualTo(((string?)null, (string?)null)), "no video, no page");
        Assert.That(rows["C-1002"].Email_Html, Does.StartWith($"<a href=\"{rows["C-1002"].Page_Url}\"><img src=\"http"));
        var page = await ledger.FindPageAsync(pages["C-1002"].PageToken, CancellationToken.None);
        Assert.That(page!.Texts.Name, Is.EqualTo("Jonas"), "a table row's name is kept when the row is sent, for first_view");
    }

    [Test]
    public async Task A_page_column_that_cannot_hold_a_url_is_a_start_up_error()
    {
        using var folder = new TempFolder();
        await using var database = await TestDatabase.CreateAsync(engine, folder);
        var table = database.Engine.Kind == EngineKind.Sqlite ? "short_pages" : database.Engine.Kind == EngineKind.Postgres ? "public.short_pages" : "dbo.short_pages";
        await database.ExecuteAsync($"CREATE TABLE {table} (id varchar(20) NOT NULL PRIMARY KEY, video_id varchar(100), video_status varchar(100), video_url varchar(2000), page_url integer)");

        var error = await Assert.ThrowsAsync<SourceException>(() => SqlTableSource.OpenAsync(
            database.Engine, database.ConnectionString, new TableSourceOptions { Table = table }, "id", new WriteBackColumns { Page = "page_url" }, TimeProvider.System, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("page_url").And.Contain("Columns:Page").And.Contain("text column of at least 1000 characters"));
    }

    private static KeyValuePair<string, IReadOnlyList<string?>> Cells(string key, string page, string views, string? first, string watched) =>
        new(key, [page, views, first, watched, $"<a href=\"{page}\">x</a>"]);

    private static DateTime? Moment(object? value) => value switch
    {
        DateTime at => at,
        string text => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal),
        _ => null,
    };
}
