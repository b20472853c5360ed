using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

[TestFixture]
[Category("Integration")]
public sealed class CliTests
{
    [Test]
    public async Task Template_syntax_error_exits_2_before_any_request()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("welcome.sbn", "Hi {{ first_name }\n");
        harness.WriteCsv(3);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("welcome.sbn:1:"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

    [Test]
    public async Task Missing_api_key_exits_2_before_any_request()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["HeyGen"]!.AsObject().Remove("ApiKey"));
        harness.WriteCsv(3);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("HEYGEN_API_KEY"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

    [Test]
    public async Task Missing_key_column_exits_2_naming_the_columns()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--key", "customer_no", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("Key column 'customer_no'").And.Contain("id, first_name, company"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

    [Test]
    public async Task Template_variable_missing_from_the_file_exits_2()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("welcome.sbn", "Hi {{ first_name }} from {{ city }}");
        harness.WriteCsv(3);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("'city'").And.Contain("not a column"));
    }

    [Test]
    public async Task Unknown_option_is_a_usage_error()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--frobnicate");

        Assert.That(result.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public async Task Api_key_never_appears_in_output()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), ServerErrorRate = 0.3, Seed = 3 });
        const string secret = "sk-live-DO-NOT-LEAK-1234567890";
        harness.WriteConfig(c => c["HeyGen"]!["ApiKey"] = secret);
        harness.WriteCsv(10);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output + result.Error, Does.Not.Contain(secret));
    }

    [Test]
    public async Task Too_little_credit_for_the_batch_exits_2_before_any_create()
    {
        // 20 scripts of 11 words at 150 words a minute and 1 credit a minute: about 1.47 credits.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), WalletCurrency = "credits", RemainingCredits = 1 });
        harness.WriteCsv(20);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("pre-flight: the account has 1 credit left, but the videos to send cost about 1.47 credits for 20 videos"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [Test]
    public async Task Max_credits_within_the_balance_lets_part_of_the_batch_through()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), WalletCurrency = "credits", RemainingCredits = 1 });
        harness.WriteCsv(20);

        // --max-credits is the old name of --max-spend, kept as an alias.
        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--max-credits", "0.5");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("--max-spend 0.5 credits reached").And.Contain("14 rows not sent stay pending"));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(6), "6 x 0.073 fits in 0.5, a 7th would not");
    }

    [Test]
    public async Task Max_spend_of_zero_is_a_usage_error()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--max-spend", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--max-spend must be a number above 0"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

}

[TestFixture]
[Category("Integration")]
[Category("Relational")]
public sealed class TableCliTests
{
    [TestCase("sqlite")]
    [TestCase("postgres")]
    public async Task Table_campaign_runs_from_the_command_line_and_urls_land_in_the_table(string engine)
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'");

        var migrate = await harness.RunCliAsync("db", "migrate", "--config", harness.ConfigPath);
        var run = await harness.RunCliAsync("run", "--campaign", "welcome", "--config", harness.ConfigPath);
        var rerun = await harness.RunCliAsync("run", "--campaign", "welcome", "--config", harness.ConfigPath);

        Assert.That(migrate.ExitCode, Is.Zero, migrate.Error);
        Assert.That(migrate.Output, Does.Contain("applied 1 (ledger entries), 2 (claims with leases"));
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("key C-1007, column first_name"));
        Assert.That(run.Output, Does.Match(@"completed\s+22"));
        Assert.That(rerun.Output, Does.Match(@"submitted\s+0"));
        Assert.That(await database.QueryAsync<long>($"SELECT COUNT(*) FROM {database.ContactsTable} WHERE video_url IS NOT NULL"), Is.EqualTo(new[] { 22L }));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(22));
    }

    [Test]
    public async Task Missing_connection_string_exits_2_naming_the_variable()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        harness.UseTable(database, "contacts", ledgerInSameDatabase: false, change: c => c["Campaigns"]!["welcome"]!["Source"]!.AsObject().Remove("ConnectionString"));

        var run = await harness.RunCliAsync("run", "--campaign", "welcome", "--config", harness.ConfigPath);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error, Does.Contain("Campaigns__welcome__Source__ConnectionString"));
    }
}
