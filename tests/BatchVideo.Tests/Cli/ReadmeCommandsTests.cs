using System.Diagnostics;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// The README's set-up: the sample run against the sandbox, again and again, leaves every committed file
/// as it was (the tests' inputs among them) and nothing git would show; an interrupted sandbox run picks
/// up where it stopped, as against a real account.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ReadmeCommandsTests
{
    private static readonly string[] SampleRun = ["run", "--csv", "sample-data/contacts.csv", "--sandbox"];

    [Test]
    public async Task Sample_run_interrupted_then_run_twice_creates_each_row_once_and_changes_no_committed_file()
    {
        await using var harness = await PipelineHarness.StartAsync();
        Checkout.CopyTo(harness.Folder.Path);
        Git(harness.Folder.Path, "init", "-q");
        Git(harness.Folder.Path, "add", "-A");
        var before = Git(harness.Folder.Path, "status", "--porcelain", "--untracked-files=all");
        var sample = File.ReadAllBytes(harness.Folder.File("sample-data/contacts.csv"));
        var clock = Stopwatch.StartNew();

        // Ctrl+C mid-run, as a newcomer would.
        using (var interrupted = harness.StartCli(SampleRun))
        {
            var output = interrupted.StandardOutput.ReadToEndAsync();
            var errors = interrupted.StandardError.ReadToEndAsync();
            await WaitForSubmittedAsync(harness.Folder.File("batchvideo-sandbox-ledger.db"), atLeast: 3);
            Process.Start("kill", $"-INT {interrupted.Id}")!.WaitForExit();
            await interrupted.WaitForExitAsync();
            await Task.WhenAll(output, errors);
        }

        var createdBefore = Journal(harness).Count;
        var rerun = await harness.RunCliAsync(SampleRun);
        var rerunTook = clock.Elapsed;
        var again = await harness.RunCliAsync(SampleRun);
        var videos = Journal(harness);

        // The README may name the command either way: through dotnet run, or as the installed tool (./install.sh).
        Assert.That(File.ReadAllText(Repository.File("README.md")), Does.Contain("dotnet run --project src/BatchVideo.Cli -- " + string.Join(' ', SampleRun) + "\n").Or.Contain("\nbatchvideo " + string.Join(' ', SampleRun) + "\n"), "the command this test runs is the README's first");
        Assert.That(createdBefore, Is.InRange(1, 22), "the interrupt came mid-run");
        Assert.That((rerun.ExitCode, again.ExitCode), Is.EqualTo((0, 0)), rerun.Output + rerun.Error + again.Output + again.Error);
        Assert.That(rerun.Output + rerun.Error, Does.Not.Contain("warn").And.Not.Match(@"\b404\b").And.Not.Contain("is gone"));
        Assert.That(rerunTook, Is.LessThan(TimeSpan.FromSeconds(60)), "interrupted run and rerun");
        Assert.That(videos, Has.Count.EqualTo(23), "every row created exactly once, across all three processes");
        Assert.That(videos.Select(v => v.IdempotencyKey).Distinct().Count(), Is.EqualTo(23));
        Assert.That(again.Output, Does.Match(@"already done\s+23"));
        Assert.That(again.Output, Does.Contain("batchvideo sandbox"), "the summary says how to open the links later");
        Assert.That(Git(harness.Folder.Path, "status", "--porcelain", "--untracked-files=all"), Is.EqualTo(before), "no committed file changed, every new file ignored");
        // Sandbox videos are not videos: they go into a copy, never into the export itself.
        Assert.That(File.ReadAllBytes(harness.Folder.File("sample-data/contacts.csv")), Is.EqualTo(sample));
        var rows = File.ReadAllLines(harness.Folder.File("sample-data/contacts.sandbox.csv"));
        Assert.That(rows[0], Does.EndWith(",video_id,video_status,video_url"));
        Assert.That(rows.Count(r => r.Contains(",completed,http://127.0.0.1:", StringComparison.Ordinal)), Is.EqualTo(23));
        Assert.That(rerun.Output, Does.Not.Contain("Rows that need attention"));
        Assert.That(File.Exists(harness.Folder.File("batchvideo-ledger.db")), Is.False, "a sandbox run must not touch the real ledger");
    }

    /// <summary>The videos the account remembers, read from its journal once no process serves it.</summary>
    private static List<SandboxVideo> Journal(PipelineHarness harness)
    {
        using var journal = BatchVideo.Sandbox.State.SandboxJournal.Open(harness.Folder.File("batchvideo-sandbox-account.jsonl"));
        return [.. journal.Videos];
    }

    private static async Task WaitForSubmittedAsync(string ledgerPath, int atLeast)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (File.Exists(ledgerPath))
            {
                try
                {
                    var ledger = new BatchVideo.Ledger.LedgerStore(new BatchVideo.Ledger.SqliteLedgerDialect(), $"Data Source={ledgerPath}", TimeProvider.System);
                    var counts = await ledger.CountByStateAsync("welcome", CancellationToken.None);
                    if (counts.GetValueOrDefault(BatchVideo.Ledger.LedgerState.Submitted) + counts.GetValueOrDefault(BatchVideo.Ledger.LedgerState.Completed) >= atLeast)
                    {
                        return;
                    }
                }
                catch (Microsoft.Data.Sqlite.SqliteException)
                {
                    // The run is still creating its tables.
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.Fail($"the sandbox run submitted fewer than {atLeast} rows in 30 s");
    }

    internal static string Git(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.That(git.ExitCode, Is.Zero, $"git {string.Join(' ', args)}: {git.StandardError.ReadToEnd()}");
        return output;
    }
}
