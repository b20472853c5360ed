using System.Buffers.Binary;
using BatchVideo.Ledger;
using BatchVideo.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Tests.Ledger;

/// <summary>
/// Where the ledger lives, not what it holds: a checkpoint a full disk cut short is not damage, a read-only
/// file is named, and neither is ever reported as a damaged ledger.
/// </summary>
[TestFixture]
public sealed class LedgerEnvironmentTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    /// <summary>
    /// A ledger whose newest pages are only in its write-ahead log, and whose header already promises them
    /// (page 1 written by a checkpoint that the disk cut short): the state a full disk leaves.
    /// </summary>
    private async Task<string> CheckpointCutShortAsync(bool keepLog)
    {
        var file = folder.File("ledger.db");
        var store = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={file}", TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools(); // the file now holds everything; the log is gone

        var copy = folder.File("cut/ledger.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE filler (x BLOB); "
                + "INSERT INTO filler SELECT randomblob(3000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) SELECT i FROM n);";
            await command.ExecuteNonQueryAsync();
            // Copied while the log still holds the new pages (closing would checkpoint them).
            File.Copy(file, copy);
            File.Copy(file + "-wal", copy + "-wal");
        }

        var bytes = await File.ReadAllBytesAsync(copy);
        var pages = (uint)(bytes.Length / 4096) + 40;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(28), pages);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(92), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(24)));
        await File.WriteAllBytesAsync(copy, bytes);
        if (!keepLog)
        {
            File.Delete(copy + "-wal");
        }

        Assert.That(SqliteLedgerFile.HeaderProblem(copy), Does.Contain("cut short"), "the header promises more than the file holds");
        return copy;
    }

    [Test]
    public async Task A_checkpoint_cut_short_by_a_full_disk_is_finished_not_called_damage()
    {
        var file = await CheckpointCutShortAsync(keepLog: true);

        var check = await new LedgerHealth(new SqliteLedgerDialect(), $"Data Source={file}", LedgerSafety.None, TimeProvider.System).CheckAsync(thorough: true, CancellationToken.None);

        Assert.That(check.Problems, Is.Empty);
        Assert.That(check.Version, Is.GreaterThan(0));
        Assert.That(SqliteLedgerFile.HeaderProblem(file), Is.Null, "the checkpoint was finished");
    }

    [Test]
    public async Task A_file_cut_short_without_its_log_is_still_damage()
    {
        var file = await CheckpointCutShortAsync(keepLog: false);

        var check = await new LedgerHealth(new SqliteLedgerDialect(), $"Data Source={file}", LedgerSafety.None, TimeProvider.System).CheckAsync(thorough: false, CancellationToken.None);

        Assert.That(check.Problems, Has.Some.Contains("cut short"));
    }
}
