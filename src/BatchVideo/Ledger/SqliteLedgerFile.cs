using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Ledger;

/// <summary>
/// The SQLite ledger as a file: its header, the engine's integrity check, and its backups (SQLite's
/// online backup API, so a copy is consistent even while another connection writes).
/// </summary>
public static partial class SqliteLedgerFile
{
    // https://www.sqlite.org/fileformat.html#the_database_header: 16 bytes of magic, then the page size
    // at offset 16, the change counter at 24, the size in pages at 28 (valid when the counter at 92 matches).
    private static readonly byte[] Magic = "SQLite format 3\0"u8.ToArray();
    private const int HeaderLength = 100;

    [GeneratedRegex(@"\.backup-(\d{8}-\d{9})$")]
    private static partial Regex BackupStamp();

    /// <summary>Why the file is not a whole SQLite database, from its header alone; null when the header is sound.</summary>
    public static string? HeaderProblem(string file)
    {
        var header = new byte[HeaderLength];
        long length;
        int read;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            length = stream.Length;
            read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        }

        if (!header.AsSpan(0, Math.Min(read, Magic.Length)).SequenceEqual(Magic.AsSpan(0, Math.Min(read, Magic.Length))))
        {
            return "it is not a SQLite database: its first bytes are not SQLite's header (overwritten, or another kind of file)";
        }

        if (read < HeaderLength)
        {
            return $"it is cut short: {length} bytes, less than SQLite's 100-byte header";
        }

        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16)) switch
        {
            1 => 65536,
            var size => (int)size,
        };
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24));
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        var expected = (long)pageSize * pages;
        return pages > 0 && changeCounter == validFor && length < expected
            ? $"it is cut short: {length:N0} bytes where its header promises {pages:N0} pages of {pageSize:N0} bytes ({expected:N0} bytes)"
            : null;
    }

    /// <summary>A connection for looking only: never creates the file, never pooled (a restore may replace it next).</summary>
    public static SqliteConnection OpenForCheck(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>SQLite's own verdict (<c>quick_check</c>, or <c>integrity_check</c> when thorough); null when "ok".</summary>
    public static async Task<string?> IntegrityProblemAsync(SqliteConnection connection, bool thorough, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = thorough ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)";
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                lines.Add(reader.GetString(0));
            }
        }

        return lines is ["ok"]
            ? null
            : $"SQLite's {(thorough ? "integrity" : "quick")} check found it damaged: {string.Join("; ", lines.Take(3))}{(lines.Count > 3 ? "; …" : "")}";
    }

    /// <summary>The tables of the database, by name.</summary>
    public static async Task<IReadOnlyList<string>> TablesAsync(SqliteConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>SQLite's error in words, with its code (26 "not a database", 11 "malformed").</summary>
    public static string Explain(SqliteException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return $"{e.Message.Replace("SQLite Error ", "error ", StringComparison.Ordinal).TrimEnd('.')}";
    }

    /// <summary>Where the next automatic backup goes: beside the ledger, named by the UTC time.</summary>
    public static string NextBackupPath(string file, DateTimeOffset now) =>
        file + ".backup-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmssfff", CultureInfo.InvariantCulture);

    /// <summary>The backups beside the ledger, newest first.</summary>
    public static IReadOnlyList<string> Backups(string file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var name = Path.GetFileName(file);
        return !Directory.Exists(folder)
            ? []
            : [.. Directory.EnumerateFiles(folder, name + ".backup-*")
                .Where(f => Path.GetFileName(f).Length == name.Length + ".backup-".Length + 18 && BackupStamp().IsMatch(f))
                .OrderByDescending(f => f, StringComparer.Ordinal)];
    }

    /// <summary>A consistent copy of the ledger, written to a temporary name and renamed when complete.</summary>
    public static void Backup(string file, string destination)
    {
        // Unique, so two processes copying at the same moment never write into one file.
        var partial = $"{destination}.{Guid.NewGuid():N}.part";
        try
        {
            using var source = OpenForCheck(file);
            using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString());
            target.Open();
            source.BackupDatabase(target);
        }
        catch (Exception e) when (e is SqliteException or IOException)
        {
            // A copy that could not be finished (a full disk) is no backup: leave no empty part file behind.
            foreach (var leftover in new[] { partial, partial + "-journal", partial + "-wal", partial + "-shm" })
            {
                System.IO.File.Delete(leftover);
            }

            throw LedgerUnavailableException.From(e, file, file) is { } unavailable
                ? new LedgerUnavailableException($"The backup of the ledger taken before the run could not be written: {unavailable.Message}", e)
                : e;
        }

        System.IO.File.Move(partial, destination, overwrite: true);
        // Stamped after the source is closed: closing may checkpoint, which is not a change of content. The
        // stamp is compared with the ledger file's own write time, so it is the file system's clock, not the run's.
        System.IO.File.SetLastWriteTimeUtc(destination, TimeProvider.System.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// Moves what the write-ahead log holds into the database file (<c>wal_checkpoint(TRUNCATE)</c>). A
    /// checkpoint cut short by a full disk leaves the file shorter than its header says while every page is
    /// still in the log: after this the file is whole again. Throws what SQLite throws (a full disk still).
    /// </summary>
    public static void Checkpoint(string file)
    {
        using var connection = OpenForCheck(file);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var reader = command.ExecuteReader();
        if (reader.Read() && reader.GetInt32(0) != 0)
        {
            throw new IOException($"SQLite could not checkpoint {file}: another connection is busy with it.");
        }
    }

    /// <summary>Whether a write-ahead log with content lies beside the ledger.</summary>
    public static bool HasWriteAheadLog(string file) => new FileInfo(file + "-wal") is { Exists: true, Length: > 0 };

    /// <summary>Whether the ledger (or its write-ahead log) was written after <paramref name="backup"/> was taken.</summary>
    public static bool ChangedSince(string file, string backup)
    {
        var taken = System.IO.File.GetLastWriteTimeUtc(backup);
        var wal = file + "-wal";
        return System.IO.File.GetLastWriteTimeUtc(file) > taken
            || (System.IO.File.Exists(wal) && System.IO.File.GetLastWriteTimeUtc(wal) > taken);
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> backups.</summary>
    public static void Prune(string file, int keep)
    {
        foreach (var old in Backups(file).Skip(keep))
        {
            System.IO.File.Delete(old);
        }
    }

    /// <summary>
    /// Puts a backup in the ledger's place. The file it replaces (and its WAL and shared-memory files) is
    /// kept beside it as <c>….replaced-&lt;time&gt;</c>, never deleted. Returns that name, or null when there was none.
    /// </summary>
    public static string? Restore(string backup, string file, DateTimeOffset now)
    {
        SqliteConnection.ClearAllPools();
        string? keptAs = null;
        if (System.IO.File.Exists(file))
        {
            keptAs = file + ".replaced-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            System.IO.File.Move(file, keptAs);
        }

        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (System.IO.File.Exists(file + suffix))
            {
                System.IO.File.Move(file + suffix, (keptAs ?? file + ".replaced") + suffix, overwrite: true);
            }
        }

        Backup(backup, file + ".restoring");
        System.IO.File.Move(file + ".restoring", file);
        return keptAs;
    }
}
