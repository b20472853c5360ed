using System.Globalization;
using System.Text.RegularExpressions;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

[TestFixture]
[Category("Integration")]
public sealed partial class RefreshAndWebhooksCommandTests
{
    [GeneratedRegex(@"expires=(\d+)")]
    private static partial Regex Expires();

    [Test]
    public async Task Refresh_renews_expiring_signed_links_and_writes_them_back()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), SignedUrlLifetime = TimeSpan.FromHours(1) });
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["UrlField"] = "signed");
        var csv = harness.WriteCsv(4);
        await harness.RunAsync(csv);
        var before = File.ReadAllLines(csv).Skip(1).ToList();
        await Task.Delay(1100); // fresh signatures carry a later expiry second

        var result = await harness.RunCliAsync("refresh", "--csv", "contacts.csv", "--within", "02:00:00", "--config", harness.ConfigPath);

        var after = File.ReadAllLines(csv).Skip(1).ToList();
        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("4 videos checked, 4 links renewed"));
        Assert.That(after.Zip(before).Select(p => Expiry(p.First) > Expiry(p.Second)), Is.All.True);
        using var http = new HttpClient();
        foreach (var line in after)
        {
            using var download = await http.GetAsync(new Uri(line[(line.LastIndexOf(',') + 1)..]));
            Assert.That(download.IsSuccessStatusCode, Is.True, line);
        }
    }

    [Test]
    public async Task Refresh_leaves_links_that_expire_later_alone()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), SignedUrlLifetime = TimeSpan.FromDays(7) });
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["UrlField"] = "signed");
        var csv = harness.WriteCsv(3);
        await harness.RunAsync(csv);
        var polls = harness.Sandbox.Stats.StatusRequests;

        var result = await harness.RunCliAsync("refresh", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.Output, Does.Contain("0 videos checked, 0 links renewed"));
        Assert.That(harness.Sandbox.Stats.StatusRequests, Is.EqualTo(polls));
    }

    [Test]
    public async Task Webhooks_register_list_rotate_delete_show_the_secret_only_when_issued()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var register = await harness.RunCliAsync("webhooks", "register", "--url", "https://example.com/heygen", "--config", harness.ConfigPath);
        var secret = Regex.Match(register.Output, "Signing secret: (whsec_\\S+)").Groups[1].Value;
        var id = Regex.Match(register.Output, "Registered endpoint (\\S+) ").Groups[1].Value;
        var list = await harness.RunCliAsync("webhooks", "list", "--config", harness.ConfigPath);
        var rotate = await harness.RunCliAsync("webhooks", "rotate", id, "--config", harness.ConfigPath);
        var rotated = Regex.Match(rotate.Output, "Signing secret: (whsec_\\S+)").Groups[1].Value;
        var delete = await harness.RunCliAsync("webhooks", "delete", id, "--config", harness.ConfigPath);
        var empty = await harness.RunCliAsync("webhooks", "list", "--config", harness.ConfigPath);

        Assert.That((register.ExitCode, list.ExitCode, rotate.ExitCode, delete.ExitCode), Is.EqualTo((0, 0, 0, 0)), register.Error + list.Error + rotate.Error + delete.Error);
        Assert.That(secret, Is.Not.Empty);
        Assert.That(register.Output, Does.Contain("HeyGen__WebhookSecret").And.Contain("events: avatar_video.success, avatar_video.fail"));
        Assert.That(list.Output, Does.Contain(id).And.Contain("https://example.com/heygen").And.Not.Contain("whsec_"));
        Assert.That(rotated, Is.Not.Empty.And.Not.EqualTo(secret));
        Assert.That(register.Error + list.Error + rotate.Error + delete.Error, Does.Not.Contain("whsec_"), "secrets go to stdout only, never to logs");
        Assert.That(empty.Output, Does.Contain("No webhook endpoints are registered."));
    }

    [Test]
    public async Task Webhooks_without_an_api_key_is_a_usage_error()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["HeyGen"]!.AsObject().Remove("ApiKey"));

        var result = await harness.RunCliAsync("webhooks", "list", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

    private static long Expiry(string line) => long.Parse(Expires().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    [Test]
    public async Task Webhooks_register_refuses_a_plain_http_url()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var register = await harness.RunCliAsync("webhooks", "register", "--url", "http://example.com/heygen", "--config", harness.ConfigPath);

        Assert.That(register.ExitCode, Is.Not.Zero);
        Assert.That(register.Error + register.Output, Does.Contain("https"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }
}
