using System.Text;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// The pre-flight against a stand-in that answers as an API-key account: money in the account's unit (a USD
/// wallet by the second) and looks that answer 200 but cannot render stop a run before any create.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class AccountTruthTests
{
    [Test]
    public async Task A_30_dollar_wallet_refuses_60_rows_of_the_samples_length_before_any_create()
    {
        // The sample's script is about 55 words: ~22 s a video at 150 words a minute, ~$1.47 at $0.0667/s,
        // so 60 rows need ~$88. At the old "1 credit a minute" the same batch looked like 22 units and passed.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), RemainingCredits = 30 });
        WriteSampleCampaign(harness, rows: 60);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("the account has $30.00 left, but the videos to send cost about $"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [Test]
    public async Task A_wallet_that_covers_the_batch_lets_it_through()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), RemainingCredits = 100 });
        WriteSampleCampaign(harness, rows: 5);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output + result.Error);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(5));
    }

    [TestCase("processing")]
    [TestCase("pending_consent")]
    [TestCase("failed")]
    public async Task A_look_that_is_not_completed_stops_the_run_naming_it(string status)
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions
        {
            RenderTime = TimeSpan.FromMilliseconds(100),
            LookStatuses = new Dictionary<string, string> { ["sandbox_avatar_anna"] = status },
        });
        harness.WriteCsv(5);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain($"avatar look sandbox_avatar_anna is {status}"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [Test]
    public async Task An_engine_the_look_does_not_support_stops_the_run()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["Engine"] = "avatar_v");
        harness.WriteCsv(3);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("does not support engine avatar_v"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [Test]
    public async Task A_supported_engine_is_sent_with_every_create()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["Engine"] = "avatar_iii");
        var csv = harness.WriteCsv(3);

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.Completed, Is.EqualTo(3));
        // avatar_iii is cheaper: the sandbox charged $0.0167 a second, not Avatar IV's $0.0667.
        var spent = harness.Sandbox.Options.RemainingCredits - await RemainingAsync(harness);
        var seconds = harness.Sandbox.Videos.Sum(v => v.Script.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length / 2.5);
        Assert.That(spent, Is.EqualTo(seconds * 0.0167).Within(0.01));
    }

    private static async Task<double> RemainingAsync(PipelineHarness harness)
    {
        using var http = new HttpClient { BaseAddress = harness.Sandbox.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", "test-key");
        var me = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri("v3/users/me", UriKind.Relative)))!;
        return (double)me["data"]!["wallet"]!["remaining_balance"]!;
    }

    /// <summary>The repository's sample template, and <paramref name="rows"/> rows with the sample's columns and first contact's values.</summary>
    private static void WriteSampleCampaign(PipelineHarness harness, int rows)
    {
        harness.Folder.Write("welcome.sbn", File.ReadAllText(Repository.File("templates", "welcome.sbn")));
        var text = new StringBuilder("id,first_name,last_name,email,company,city,product_interest,account_owner\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"X-{i},Amélie,Durand,amelie.durand@example.com,Boulangerie Durand,Lyon,inventory,Sofia\n");
        }

        harness.Folder.Write("contacts.csv", text.ToString());
    }
}
