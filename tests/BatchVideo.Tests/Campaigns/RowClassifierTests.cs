using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// <see cref="RowClassifier.Decide"/> as a table: one case per ledger state × source (file, table) × command
/// (run, run --retry-failed, validate), each with the fate the glossary gives it. The pipeline tests keep the
/// same rules through the whole run; these name the rule that broke.
/// </summary>
[TestFixture]
public sealed class RowClassifierTests
{
    private const string Worker = "this-machine:1:run";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    public enum Command
    {
        Run,
        RetryFailed,
        Validate,
    }

    public enum Source
    {
        File,
        Table,
    }

    /// <summary>A ledger state (or none), as the row decision meets it.</summary>
    public enum Ledger
    {
        None,
        NoneButSourceNamesAVideo,
        Completed,
        Submitted,
        Failed,
        FailedRefusedBeforeAVideo,
        FailedOutcomeUnknown,
        Pending,
        Rejected,
        ClaimedByAnotherLiveLease,
        ClaimedLeaseExpired,
        ClaimedByThisRun,
        SubmittingByAnotherLiveLease,
        SubmittingUnleased,
    }

    private static readonly (Ledger State, RowFate Run, RowFate RetryFailed, RowFate Validate)[] Table =
    [
        (Ledger.None, RowFate.Ready, RowFate.Ready, RowFate.Ready),
        (Ledger.NoneButSourceNamesAVideo, RowFate.AlreadyDone, RowFate.AlreadyDone, RowFate.AlreadyDone),
        (Ledger.Completed, RowFate.AlreadyDone, RowFate.AlreadyDone, RowFate.AlreadyDone),
        (Ledger.Submitted, RowFate.Rendering, RowFate.Rendering, RowFate.Rendering),
        (Ledger.Failed, RowFate.FailedEarlier, RowFate.Ready, RowFate.FailedEarlier),
        (Ledger.FailedRefusedBeforeAVideo, RowFate.Ready, RowFate.Ready, RowFate.Ready),
        (Ledger.FailedOutcomeUnknown, RowFate.FailedEarlier, RowFate.FailedEarlier, RowFate.FailedEarlier),
        (Ledger.Pending, RowFate.Ready, RowFate.Ready, RowFate.Ready),
        (Ledger.Rejected, RowFate.Ready, RowFate.Ready, RowFate.Ready),
        (Ledger.ClaimedByAnotherLiveLease, RowFate.InProgressElsewhere, RowFate.InProgressElsewhere, RowFate.InProgressElsewhere),
        (Ledger.ClaimedLeaseExpired, RowFate.Ready, RowFate.Ready, RowFate.Ready),
        // Validate claims nothing: this run's claim is another worker's to it.
        (Ledger.ClaimedByThisRun, RowFate.Ready, RowFate.Ready, RowFate.InProgressElsewhere),
        (Ledger.SubmittingByAnotherLiveLease, RowFate.InProgressElsewhere, RowFate.InProgressElsewhere, RowFate.InProgressElsewhere),
        (Ledger.SubmittingUnleased, RowFate.Ready, RowFate.Ready, RowFate.Ready),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from row in Table
        from source in new[] { Source.File, Source.Table }
        from command in new[] { Command.Run, Command.RetryFailed, Command.Validate }
        select new TestCaseData(row.State, source, command)
            .Returns(command switch { Command.Run => row.Run, Command.RetryFailed => row.RetryFailed, _ => row.Validate })
            .SetName($"Decide_{row.State}_{source}_{command}");

    [TestCaseSource(nameof(Cases))]
    public RowFate Decide_gives_each_ledger_state_its_fate(Ledger state, Source source, Command command)
    {
        var verdict = Classifier(source, command).Decide(Row(state), "C-1", Entry(state));

        Assert.That(verdict.Key, Is.EqualTo("C-1"));
        return verdict.Fate;
    }

    [Test]
    public void Every_ledger_state_has_a_row_in_the_table()
    {
        Assert.That(Table.Select(t => t.State), Is.EquivalentTo(Enum.GetValues<Ledger>()));
    }

    [Test]
    public void A_ready_row_carries_its_rendered_script_and_its_ledger_entry()
    {
        var entry = Entry(Ledger.Pending);

        var verdict = Classifier(Source.Table, Command.Run).Decide(Row(Ledger.Pending), "C-1", entry);

        Assert.That(verdict.Rendered?.Script, Is.EqualTo("Hi Ada!"));
        Assert.That(verdict.Entry, Is.SameAs(entry));
        Assert.That(verdict.Problem, Is.Null);
    }

    [TestCase(Ledger.Failed, "failed_earlier")]
    [TestCase(Ledger.FailedOutcomeUnknown, "outcome_unknown")]
    [TestCase(Ledger.ClaimedByAnotherLiveLease, "in_progress_elsewhere")]
    public void A_row_not_sent_says_why_with_its_code(Ledger state, string code)
    {
        var verdict = Classifier(Source.File, Command.Run).Decide(Row(state), "C-1", Entry(state));

        Assert.That(verdict.Problem?.Code, Is.EqualTo(code));
        Assert.That(verdict.Problem?.Line, Is.EqualTo(2));
    }

    [Test]
    public void A_row_whose_script_cannot_render_is_rejected_with_its_column()
    {
        var row = new SourceRow(2, ["C-1", ""], null, null);

        var verdict = Classifier(Source.File, Command.Run).Decide(row, "C-1", null);

        Assert.That(verdict.Fate, Is.EqualTo(RowFate.Rejected));
        Assert.That(verdict.Problem?.Column, Is.EqualTo("first_name"));
    }

    [Test]
    public void A_state_the_decision_does_not_know_is_an_error_not_a_skip()
    {
        var entry = Entry(Ledger.Completed)! with { State = "archived" };

        var error = Assert.Throws<InvalidOperationException>(() => Classifier(Source.File, Command.Run).Decide(Row(Ledger.Completed), "C-1", entry));

        Assert.That(error!.Message, Does.Contain("'archived'").And.Contain("C-1"));
    }

    private static RowClassifier Classifier(Source source, Command command)
    {
        IRecipientSource rows = source == Source.Table ? new NoTable() : new NoFile();
        var renderer = new ScriptRenderer(ScriptTemplate.Parse("Hi {{ first_name }}!", "t.sbn"), null, ["id", "first_name"], []);
        var request = new RunRequest("welcome", null, null) { RetryFailed = command == Command.RetryFailed };
        var run = new PreparedRun("welcome", new CampaignOptions(), rows, renderer, request);
        return new RowClassifier(run, null!, new FakeTimeProvider(Now), command == Command.Validate ? null : Worker);
    }

    private static SourceRow Row(Ledger state) =>
        new(2, ["C-1", "Ada"], null, state == Ledger.NoneButSourceNamesAVideo ? "v_recorded" : null);

    private static LedgerEntry? Entry(Ledger state)
    {
        var live = Now.AddMinutes(5).ToUnixTimeMilliseconds();
        var ended = Now.AddMinutes(-5).ToUnixTimeMilliseconds();
        return state switch
        {
            Ledger.None or Ledger.NoneButSourceNamesAVideo => null,
            Ledger.Completed => Entry(LedgerState.Completed) with { VideoId = "v_1", VideoStatus = "completed" },
            Ledger.Submitted => Entry(LedgerState.Submitted) with { VideoId = "v_1", VideoStatus = "processing" },
            Ledger.Failed => Entry(LedgerState.Failed) with { VideoId = "v_1", VideoStatus = "failed", ErrorCode = "render_failed", ErrorMessage = "bad audio" },
            Ledger.FailedRefusedBeforeAVideo => Entry(LedgerState.Failed) with { VideoStatus = LedgerState.Refused, ErrorCode = "invalid_parameter" },
            Ledger.FailedOutcomeUnknown => Entry(LedgerState.Failed) with { VideoStatus = LedgerState.OutcomeUnknown, ErrorMessage = "timed out" },
            Ledger.Pending => Entry(LedgerState.Pending),
            Ledger.Rejected => Entry(LedgerState.Rejected),
            Ledger.ClaimedByAnotherLiveLease => Entry(LedgerState.Claimed) with { ClaimedBy = "other:2:run", LeaseExpiresAt = live },
            Ledger.ClaimedLeaseExpired => Entry(LedgerState.Claimed) with { ClaimedBy = "other:2:run", LeaseExpiresAt = ended },
            Ledger.ClaimedByThisRun => Entry(LedgerState.Claimed) with { ClaimedBy = Worker, LeaseExpiresAt = live },
            Ledger.SubmittingByAnotherLiveLease => Entry(LedgerState.Submitting) with { ClaimedBy = "other:2:run", LeaseExpiresAt = live },
            Ledger.SubmittingUnleased => Entry(LedgerState.Submitting),
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
    }

    private static LedgerEntry Entry(string state) => new()
    {
        Campaign = "welcome",
        RecipientKey = "C-1",
        State = state,
        Attempt = 1,
        IdempotencyKey = "idem",
        TitleMarker = "marker",
    };

    /// <summary>A file source the decision never reads: <see cref="RowClassifier.Decide"/> takes the row it is given.</summary>
    private sealed class NoFile : IRecipientSource
    {
        public string Name => "contacts.csv";

        public IReadOnlyList<string> Columns { get; } = ["id", "first_name"];

        public string KeyColumn => "id";

        public IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct) => throw new NotSupportedException();
    }

    /// <summary>The same for a table.</summary>
    private sealed class NoTable : ITableSource
    {
        public string Name => "dbo.Contacts";

        public IReadOnlyList<string> Columns { get; } = ["id", "first_name"];

        public string KeyColumn => "id";

        public IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct) => throw new NotSupportedException();

        public IAsyncEnumerable<IReadOnlyList<SourceRow>> ReadPendingPagesAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<SourceRow>> FetchAsync(IReadOnlyList<string> keys, CancellationToken ct) => throw new NotSupportedException();
    }
}
