using BatchVideo.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Tests.Campaigns;

[TestFixture]
[Category("Integration")]
public sealed class UnknownLedgerStateTests
{
    [Test]
    public async Task A_ledger_state_the_row_decision_does_not_know_stops_the_run_instead_of_skipping_the_row()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.WriteCsv(2);
        var ledger = harness.Ledger(TimeProvider.System);
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.TryBeginSubmissionAsync("welcome", "C-2", "idem", "marker", CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={harness.Folder.File("ledger.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ledger_entries SET state = 'archived' WHERE recipient_key = 'C-2'";
            await command.ExecuteNonQueryAsync();
        }

        var summary = await harness.RunAsync(csv, dryRun: true);

        Assert.That(summary.StoppedBecause, Does.Contain("'archived'").And.Contain("C-2"));
        Assert.That(summary.ExitCode, Is.Not.Zero);
    }
}
