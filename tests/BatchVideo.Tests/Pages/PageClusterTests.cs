using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchVideo.Pages;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Pages;

/// <summary>
/// Issue 25, step 6: pages behind a load balancer. Two <c>serve</c> nodes on one PostgreSQL ledger each serve any
/// recipient's page and count its beacons on the shared row; the first view is told once however the nodes race.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Postgres")]
public sealed class PageClusterTests
{
    private const int Recipients = 4;
    private const int OpensPerNode = 3;

    [Test]
    public async Task Two_serve_nodes_on_one_postgres_ledger_serve_every_page_count_each_beacon_once_and_tell_the_first_view_once()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200) });
        await using var database = await TestDatabase.CreateAsync("postgres", harness.Folder);
        var address = ServeNode.FreeAddress();
        harness.WriteConfig(c =>
        {
            PageWriteBackTests.TurnPagesOn(c, address);
            c["Ledger"] = new JsonObject { ["Engine"] = database.EngineName, ["ConnectionString"] = database.ConnectionString };
            c["Notifications"] = new JsonObject { ["WebhookUrl"] = sink.Url.AbsoluteUri, ["Timeout"] = "00:00:03" };
        });
        var run = await harness.RunAsync(harness.WriteCsv(Recipients));
        var ledger = harness.Ledger(TimeProvider.System);
        var tokens = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None)).ToDictionary(e => e.Key, e => e.Value.PageToken);
        await using var first = await ServeNode.StartAsync(harness, address);
        await using var second = await ServeNode.StartAsync(harness);
        using var one = new HttpClient { BaseAddress = first.Address };
        using var two = new HttpClient { BaseAddress = second.Address };

        var served = new List<HttpStatusCode>();
        foreach (var token in tokens.Values)
        {
            foreach (var node in new[] { one, two })
            {
                using var page = await node.GetAsync(PageLinks.Url(node.BaseAddress!, token));
                served.Add(page.StatusCode);
            }
        }

        // Every recipient opened on both nodes at once, several times each: the race for the first view.
        var opens = await Task.WhenAll(tokens.Values.SelectMany(token => Enumerable.Range(0, OpensPerNode).SelectMany(_ => new[] { one, two }).Select(node => BeaconAsync(node, token, """{"kind":"opened"}"""))));
        var progress = await BeaconAsync(two, tokens["C-1"], """{"kind":"progress","percent":75}""");
        var click = await BeaconAsync(one, tokens["C-1"], """{"kind":"cta"}""");
        await Eventually.HappensAsync(() => Task.FromResult(FirstViews(sink).Count >= Recipients), TimeSpan.FromSeconds(15), () => first.Log + second.Log);
        await Task.Delay(1000); // a second first_view, if one were wrongly told by the losing node, has time to arrive
        var engagement = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        var status = await two.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.That(run.Completed, Is.EqualTo(Recipients));
        Assert.That(served, Has.Count.EqualTo(2 * Recipients).And.All.EqualTo(HttpStatusCode.OK), "each node serves every page");
        Assert.That(opens.Append(progress).Append(click), Has.All.EqualTo(HttpStatusCode.NoContent));
        Assert.That(engagement.Values.Select(e => e.Views), Has.All.EqualTo(2 * OpensPerNode), "each beacon from either node counted once, on the shared row");
        Assert.That(engagement.Values.Select(e => e.FirstViewedAt), Has.All.Not.Null);
        Assert.That((engagement["C-1"].WatchedPercent, engagement["C-1"].CtaClickedAt is not null), Is.EqualTo((75, true)));
        Assert.That(FirstViews(sink).Select(m => m.GetProperty("key").GetString()), Is.EquivalentTo(tokens.Keys), "first_view exactly once per recipient across the nodes");
        Assert.That(status, Does.Contain("<td>4 sent, 4 opened, 1 watched half, 1 clicked</td>"), "either node's status page: the shared ledger's totals");
    }

    private static async Task<HttpStatusCode> BeaconAsync(HttpClient node, string token, string body)
    {
        using var answer = await node.PostAsync(new Uri(node.BaseAddress!, "v/" + token), new StringContent(body, Encoding.UTF8, "application/json"));
        return answer.StatusCode;
    }

    /// <summary>The <c>first_view</c> posts received (the run's own <c>run_finished</c> post goes to the same channel).</summary>
    private static List<JsonElement> FirstViews(WebhookSink sink) =>
        [.. sink.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).Where(m => m.GetProperty("event").GetString() == "first_view")];
}
