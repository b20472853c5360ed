using System.Net;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Scheduling;

/// <summary>
/// A tokenless <c>serve</c> on loopback against what a hostile web page can make a browser send: a cross-site
/// form post, and a DNS-rebinding read under the page's own host name (issue 28's probes).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ServeBrowserTests
{
    [Test]
    public async Task A_cross_site_form_post_to_the_trigger_is_refused_with_no_create_and_the_cli_trigger_still_works()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
            c["Scheduling"] = new System.Text.Json.Nodes.JsonObject { ["JobStore"] = "memory", ["CompletionInterval"] = "00:00:01" });
        await using var node = await ServeNode.StartAsync(harness);
        using var http = new HttpClient { BaseAddress = node.Address };

        using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri("campaigns/welcome/trigger", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([]),
        };
        forged.Headers.Add("Origin", "https://evil.example");
        forged.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var refused = await http.SendAsync(forged);
        using var plainForm = await http.PostAsync(new Uri("campaigns/welcome/trigger", UriKind.Relative), new StringContent("x", null, "text/plain"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var createdAfterForgery = harness.Sandbox.Stats.VideosCreated;
        var trigger = await harness.RunCliAsync("trigger", "welcome", "--config", harness.ConfigPath, "--url", node.Address.AbsoluteUri);
        await Eventually.HappensAsync(() => Task.FromResult(harness.Sandbox.Stats.VideosCreated > 0), TimeSpan.FromSeconds(30), () => node.Log);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), await refused.Content.ReadAsStringAsync());
        Assert.That(plainForm.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(createdAfterForgery, Is.Zero, "nothing was paid for");
        Assert.That(trigger.ExitCode, Is.Zero, trigger.Output + trigger.Error);
        Assert.That(trigger.Output, Does.Contain("Triggered welcome"));
    }

    [Test]
    public async Task A_foreign_host_name_reads_no_page()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(2);
        await harness.RunAsync(harness.Folder.File("contacts.csv"));
        await using var node = await ServeNode.StartAsync(harness);
        using var http = new HttpClient { BaseAddress = node.Address };

        var answers = new List<(string Path, HttpStatusCode Status, string Body)>();
        foreach (var path in new[] { "/", "/campaigns/welcome/review", "/healthz" })
        {
            using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            rebound.Headers.Host = $"rebind.evil.example:{node.Address.Port}";
            using var answer = await http.SendAsync(rebound);
            answers.Add((path, answer.StatusCode, await answer.Content.ReadAsStringAsync()));
        }

        var own = await http.GetAsync(new Uri("campaigns/welcome/review", UriKind.Relative));

        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.MisdirectedRequest));
        Assert.That(answers.Select(a => a.Body), Has.None.Contain("Welcome").And.None.Contain("<td>"));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), "its own name still reads it");
    }
}
