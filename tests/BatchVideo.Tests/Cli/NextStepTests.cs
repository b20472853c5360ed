using System.Diagnostics;
using System.Text.Json.Nodes;
using BatchVideo.Cli;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>Every next-step command a run prints works when pasted as printed.</summary>
[TestFixture]
[Category("Integration")]
public sealed class NextStepTests
{
    [Test]
    public async Task Each_next_step_a_sandbox_sample_prints_runs_as_printed()
    {
        await using var harness = await PipelineHarness.StartAsync();
        Checkout.CopyTo(harness.Folder.Path);
        // Not the default file name, so a step that dropped --config would not find the configuration.
        var config = JsonNode.Parse(File.ReadAllText(harness.Folder.File("appsettings.json")))!;
        config["Campaigns"]!["welcome"]!["RequireApproval"] = true;
        // Quick renders (the sandbox's own section): this test is about the commands, not the pace.
        config["Sandbox"] = new JsonObject { ["RenderTime"] = "00:00:00.2", ["RenderTimePerVideoSecond"] = "00:00:00" };
        File.WriteAllText(harness.Folder.File("bv.json"), config.ToJsonString());
        File.Delete(harness.Folder.File("appsettings.json"));

        var sample = await harness.RunCliAsync("run", "--csv", "sample-data/contacts-with-problems.csv", "--sandbox", "--sample", "2", "--campaign", "welcome", "--config", "bv.json");
        var pending = NextSteps(sample.Output).Select(s => (Step: s, Printed: "sample")).ToList();
        var ran = new List<string>();

        Assert.That(sample.ExitCode, Is.AnyOf(0, 1), sample.Output + sample.Error);
        // Before approval, the whole run is refused and names the approval step: the same one, as pasteable.
        var refused = await harness.RunCliAsync("run", "--csv", "sample-data/contacts-with-problems.csv", "--sandbox", "--campaign", "welcome", "--config", "bv.json");
        Assert.That(refused.Output + refused.Error, Does.Contain("'" + pending.Single(p => p.Step.StartsWith("batchvideo approve", StringComparison.Ordinal)).Step + "'"));
        // Approval first, as the output says ("after watching them"); then the steps those steps print (one level:
        // a rejects file's run prints the next rejects file's, without end).
        while (pending.Count > 0)
        {
            var next = pending.OrderBy(s => s.Step.StartsWith("batchvideo approve", StringComparison.Ordinal) ? 0 : s.Step.StartsWith("batchvideo sandbox", StringComparison.Ordinal) ? 2 : 1).First();
            pending.Remove(next);
            var step = next.Step;
            if (ran.Contains(step))
            {
                continue;
            }

            ran.Add(step);
            var args = step.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            if (args[0] == "sandbox")
            {
                await AssertServesTheLinksAsync(harness, args, harness.Folder.File("sample-data/contacts-with-problems.sandbox.csv"));
                continue;
            }

            var result = await harness.RunCliAsync(args);
            Assert.That(result.ExitCode, Is.AnyOf(0, 1), $"{step}\n{result.Output}{result.Error}");
            Assert.That(result.Output + result.Error, Does.Not.Contain("ApiKey").And.Not.Contain("no sample to approve").And.Not.Contain("appsettings.json"), step);
            if (next.Printed == "sample")
            {
                pending.AddRange(NextSteps(result.Output).Select(s => (s, step)));
            }
        }

        Assert.That(ran.Select(s => s.Split(' ')[1]), Is.SupersetOf(new[] { "approve", "run", "sandbox" }), string.Join("\n", ran));
        Assert.That(ran, Has.Some.Contains("-rejects.csv"), "the fix-and-rerun step of the rejects file ran too");
    }

    [TestCase("reports/a b.csv", "'reports/a b.csv'")]
    [TestCase("it's.csv", "'it'\\''s.csv'")]
    [TestCase("/tmp/bv-1/contacts.csv", "/tmp/bv-1/contacts.csv")]
    public void Words_a_shell_would_split_or_expand_are_quoted(string word, string quoted) =>
        Assert.That(NextCommand.Quote(word), Is.EqualTo(quoted));

    /// <summary>The commands of "…: batchvideo …" and indented "batchvideo …" lines.</summary>
    private static List<string> NextSteps(string output) =>
        [.. output.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Select(line => (line, at: line.IndexOf("batchvideo ", StringComparison.Ordinal)))
            .Where(x => x.at >= 0 && (x.line[..x.at].Trim().Length == 0 || x.line[..x.at].TrimEnd().EndsWith(':')))
            .Select(x => x.line[x.at..])];

    private static async Task AssertServesTheLinksAsync(PipelineHarness harness, string[] args, string results)
    {
        using var server = harness.StartCli(args);
        try
        {
            var listening = await server.StandardOutput.ReadLineAsync();
            Assert.That(listening, Does.Contain("listening on"));
            var link = File.ReadAllLines(results).Select(r => r.Split(',')[^1]).First(cell => cell.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
            using var http = new HttpClient();
            using var page = await http.GetAsync(new Uri(link));
            Assert.That(page.IsSuccessStatusCode, Is.True, $"{link} answers {(int)page.StatusCode} under '{string.Join(' ', args)}'");
        }
        finally
        {
            Process.Start("kill", $"-INT {server.Id}")!.WaitForExit();
            await server.WaitForExitAsync();
        }
    }
}
