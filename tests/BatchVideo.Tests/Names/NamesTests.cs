using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchVideo.Campaigns;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Names;

/// <summary>
/// <c>batchvideo names</c> against the sandbox over HTTP, with a real SQLite ledger: distinct names, not rows, are
/// heard; the ledger remembers them; the estimate stops a batch over <c>--max-spend</c>; no video is ever created.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class NamesTests
{
    [Test]
    public async Task Sixty_rows_with_twelve_first_names_ask_twelve_previews_and_create_no_video()
    {
        await using var harness = await PipelineHarness.StartAsync();
        NamesHarness.Configure(harness);
        var csv = NamesHarness.WriteSixtyRows(harness);

        var outcome = await NamesHarness.RunAsync(harness, csv);
        var html = await File.ReadAllTextAsync(outcome.PagePath!);

        Assert.That(harness.Sandbox.Speeches, Has.Count.EqualTo(12), "one speech request per distinct name");
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero, "no video create");
        Assert.That(harness.Sandbox.Videos, Is.Empty);
        Assert.That(outcome.Asked, Is.EqualTo(12));
        Assert.That(outcome.Names.Names.Select(n => n.Rows), Has.All.EqualTo(5), "each name is carried by five rows");
        Assert.That(harness.Sandbox.Speeches.Select(s => s.Text), Is.EquivalentTo(NamesHarness.TwelveNames.Select(n => $"Hi {n}!")),
            "each preview speaks the script's first sentence holding the name");
        Assert.That(AudioPlayers().Matches(html), Has.Count.EqualTo(12), "a player for every name");
        foreach (var name in NamesHarness.TwelveNames)
        {
            Assert.That(html, Does.Contain($"data-value=\"{name}\""), name);
        }
    }

    [Test]
    public async Task A_second_names_asks_nothing_and_another_campaign_with_the_same_voice_neither()
    {
        await using var harness = await PipelineHarness.StartAsync();
        NamesHarness.Configure(harness);
        harness.WriteConfig(c =>
        {
            var welcome = c["Campaigns"]!["welcome"]!.AsObject();
            welcome["Pronounce"] = new JsonArray("first_name");
            c["Campaigns"]!["renewal"] = welcome.DeepClone();
        });
        var csv = NamesHarness.WriteSixtyRows(harness);

        var first = await NamesHarness.RunAsync(harness, csv);
        var second = await NamesHarness.RunAsync(harness, csv);
        var other = await NamesHarness.RunAsync(harness, csv, campaign: "renewal");
        var html = await File.ReadAllTextAsync(second.PagePath!);

        Assert.That(harness.Sandbox.Speeches, Has.Count.EqualTo(12), "the ledger answers the rerun and the other campaign");
        Assert.That((first.Asked, second.Asked, other.Asked), Is.EqualTo((12, 0, 0)));
        Assert.That((second.FromLedger, other.FromLedger), Is.EqualTo((12, 12)));
        Assert.That(second.Estimate, Is.Null, "nothing new to price, and the account is not asked");
        Assert.That(AudioPlayers().Matches(html), Has.Count.EqualTo(12), "the page of a rerun still plays every name");
    }

    [Test]
    public async Task Max_spend_below_the_estimate_stops_the_previews_before_any_request()
    {
        await using var harness = await PipelineHarness.StartAsync();
        NamesHarness.Configure(harness);
        var csv = NamesHarness.WriteSixtyRows(harness);

        // Twelve previews of about 1 s at $0.000667 a second cost about $0.008.
        var stopped = await NamesHarness.RunAsync(harness, csv, maxSpend: 0.001);
        var within = await NamesHarness.RunAsync(harness, csv, maxSpend: 0.5);

        Assert.That(stopped.Stopped, Does.Contain("--max-spend").And.Contain("nothing was asked for"));
        Assert.That(stopped.Estimate!.Unit, Is.EqualTo("usd"));
        Assert.That(stopped.Estimate.Cost, Is.GreaterThan(0.001).And.LessThan(0.05));
        Assert.That(stopped.Asked, Is.Zero);
        Assert.That(within.Asked, Is.EqualTo(12), "the same batch under a budget it fits");
        Assert.That(harness.Sandbox.Speeches, Has.Count.EqualTo(12), "the stopped batch sent no speech request");
    }

    [Test]
    public async Task Previews_are_paid_from_the_wallet_by_the_second()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300), RemainingCredits = 100 });
        NamesHarness.Configure(harness);
        var csv = NamesHarness.WriteSixtyRows(harness);

        var outcome = await NamesHarness.RunAsync(harness, csv);

        var seconds = harness.Sandbox.Speeches.Sum(s => s.Seconds);
        Assert.That(harness.Sandbox.Speeches.Sum(s => s.Cost), Is.EqualTo(seconds * 0.000667).Within(1e-9));
        Assert.That(outcome.SecondsMade, Is.EqualTo(seconds).Within(1e-9), "the seconds HeyGen reported are the ones kept");
        Assert.That(outcome.Estimate!.Cost, Is.EqualTo(outcome.Estimate.Seconds * 0.000667).Within(1e-9));
    }

    [Test]
    public async Task Rate_limited_previews_are_waited_out_and_each_is_made_once()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300), RequestsPerSecond = 6 });
        NamesHarness.Configure(harness);
        var csv = NamesHarness.WriteSixtyRows(harness);

        var outcome = await NamesHarness.RunAsync(harness, csv);

        Assert.That(harness.Sandbox.Stats.RateLimited, Is.GreaterThan(0), "the sandbox answered 429 under the load");
        Assert.That(outcome.Failed, Is.Empty);
        Assert.That(harness.Sandbox.Speeches, Has.Count.EqualTo(12), "every 429 retried, nothing made twice");
    }

    [Test]
    public async Task A_campaign_without_pronounce_columns_is_told_what_to_set()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = NamesHarness.WriteSixtyRows(harness);

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => NamesHarness.RunAsync(harness, csv));

        Assert.That(error!.Message, Does.Contain("Campaigns:welcome:Pronounce"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

    [GeneratedRegex("<audio controls preload=\"none\" src=\"http://127\\.0\\.0\\.1:\\d+/files/speech/[0-9a-f]{32}-\\d+\\.wav\"></audio>")]
    private static partial Regex AudioPlayers();
}
