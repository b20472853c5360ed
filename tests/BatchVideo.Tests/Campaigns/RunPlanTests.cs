using BatchVideo.Campaigns;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// <see cref="RunPlan.Of"/> as a table: which stages a request runs over a file, a table, or a table opened
/// as a file (<c>--csv</c> over a table campaign's export), so no stage asks the request's switches again.
/// </summary>
[TestFixture]
public sealed class RunPlanTests
{
    public enum Over
    {
        File,
        Table,
        TableOpenedAsFile,
    }

    public enum Switches
    {
        Run,
        NoWait,
        DryRun,
        DryRunNoWait,
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        // source, switches: claims table, sends, follows, follows earlier, writes back
        yield return Case(Over.File, Switches.Run, false, true, FollowMode.UntilFinished, true, true);
        yield return Case(Over.File, Switches.NoWait, false, true, FollowMode.WhileSending, false, true);
        yield return Case(Over.File, Switches.DryRun, false, false, FollowMode.None, false, false);
        yield return Case(Over.File, Switches.DryRunNoWait, false, false, FollowMode.None, false, false);
        yield return Case(Over.Table, Switches.Run, true, true, FollowMode.UntilFinished, true, true);
        yield return Case(Over.Table, Switches.NoWait, true, true, FollowMode.WhileSending, false, true);
        // A dry run claims nothing: even a table is only read and classified, like a file.
        yield return Case(Over.Table, Switches.DryRun, false, false, FollowMode.None, false, false);
        yield return Case(Over.Table, Switches.DryRunNoWait, false, false, FollowMode.None, false, false);
        yield return Case(Over.TableOpenedAsFile, Switches.Run, false, true, FollowMode.UntilFinished, true, true);
        yield return Case(Over.TableOpenedAsFile, Switches.NoWait, false, true, FollowMode.WhileSending, false, true);
        yield return Case(Over.TableOpenedAsFile, Switches.DryRun, false, false, FollowMode.None, false, false);
        yield return Case(Over.TableOpenedAsFile, Switches.DryRunNoWait, false, false, FollowMode.None, false, false);
    }

    [TestCaseSource(nameof(Cases))]
    public RunPlan A_request_over_a_source_runs_these_stages(Over over, Switches switches)
    {
        Func<string, WriteBackColumns, IRecipientSource>? openSource = over == Over.TableOpenedAsFile ? (_, _) => new NoFile() : null;
        var request = new RunRequest("welcome", null, openSource)
        {
            DryRun = switches is Switches.DryRun or Switches.DryRunNoWait,
            NoWait = switches is Switches.NoWait or Switches.DryRunNoWait,
        };
        IRecipientSource source = over == Over.File ? new NoFile() : new NoTable();

        return RunPlan.Of(request, source);
    }

    [Test]
    public void Every_source_and_switch_has_a_case()
    {
        Assert.That(Cases().Count(), Is.EqualTo(Enum.GetValues<Over>().Length * Enum.GetValues<Switches>().Length));
    }

    [TestCase(true, RunMode.Run)]
    [TestCase(false, RunMode.DryRun)]
    public void The_summary_names_a_plan_that_sends_nothing_a_dry_run(bool sends, RunMode mode)
    {
        Assert.That(new RunPlan(false, sends, FollowMode.None, false, sends).Mode, Is.EqualTo(mode));
    }

    private static TestCaseData Case(Over over, Switches switches, bool claims, bool sends, FollowMode follows, bool followsEarlier, bool writesBack) =>
        new TestCaseData(over, switches).Returns(new RunPlan(claims, sends, follows, followsEarlier, writesBack)).SetName($"Plan_{over}_{switches}");

    private sealed class NoFile : IRecipientSource
    {
        public string Name => "contacts.csv";

        public IReadOnlyList<string> Columns { get; } = ["id"];

        public string KeyColumn => "id";

        public IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct) => throw new NotSupportedException();
    }

    private sealed class NoTable : ITableSource
    {
        public string Name => "dbo.Contacts";

        public IReadOnlyList<string> Columns { get; } = ["id"];

        public string KeyColumn => "id";

        public IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct) => throw new NotSupportedException();

        public IAsyncEnumerable<IReadOnlyList<SourceRow>> ReadPendingPagesAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<SourceRow>> FetchAsync(IReadOnlyList<string> keys, CancellationToken ct) => throw new NotSupportedException();
    }
}
