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
    public async Task Readme_sample_runs_against_the_sandbox_and_fills_every_valid_row()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var repo = Repository.Root;
        File.Copy(Path.Combine(repo, "appsettings.json"), harness.ConfigPath, overwrite: true);
        Directory.CreateDirectory(harness.Folder.File("templates"));
        Directory.CreateDirectory(harness.Folder.File("sample-data"));
        File.Copy(Path.Combine(repo, "templates", "welcome.sbn"), harness.Folder.File("templates/welcome.sbn"));
        File.Copy(Path.Combine(repo, "sample-data", "contacts.csv"), harness.Folder.File("sample-data/contacts.csv"));

        var result = await harness.RunCliAsync("run", "--csv", "sample-data/contacts.csv", "--sandbox");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("line 8, key C-1007, column first_name"));
        Assert.That(result.Output, Does.Contain("duplicate key 'C-1003'"));
        var rows = File.ReadAllLines(harness.Folder.File("sample-data/contacts.csv"));
        Assert.That(rows[0], Does.EndWith(",video_id,video_status,video_url"));
        Assert.That(rows.Count(r => r.Contains(",completed,http://127.0.0.1:", StringComparison.Ordinal)), Is.EqualTo(23));
        Assert.That(File.Exists(harness.Folder.File("batchvideo-sandbox-ledger.db")), Is.True);
        Assert.That(File.Exists(harness.Folder.File("batchvideo-ledger.db")), Is.False, "a sandbox run must not touch the real ledger");
    }
}
