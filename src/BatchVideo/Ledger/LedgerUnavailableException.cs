using BatchVideo.Databases;

namespace BatchVideo.Ledger;

/// <summary>
/// The ledger cannot be written where it lives (a full disk, a read-only file, a failing disk, a refused
/// login): not damage and not a bug, so the run stops at once with one sentence (what, what was kept, what
/// to do) and exit code 2. Raised by the ledger's writes and start-up checks, never retried: a full disk
/// does not empty itself within a retry's minute.
/// </summary>
public sealed class LedgerUnavailableException : Exception
{
    // What a stopped run keeps, said once for every kind.
    private const string Kept = "The run stopped at once and nothing paid is lost: every create is recorded in the ledger before it is sent, "
        + "and a video whose answer could not be recorded is found again under the same Idempotency-Key by the next run.";

    public LedgerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LedgerUnavailableException()
    {
    }

    public LedgerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>What kind of problem it is.</summary>
    public DatabaseProblemKind Kind { get; private init; }

    /// <summary>
    /// <paramref name="exception"/> as the operator's sentence when it is an environment problem of the
    /// ledger at <paramref name="location"/> (<paramref name="file"/>: its SQLite file, if it is one); null otherwise.
    /// </summary>
    public static LedgerUnavailableException? From(Exception exception, string location, string? file)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is LedgerUnavailableException known)
        {
            return known;
        }

        if (DatabaseProblem.Of(exception) is not { } kind)
        {
            return null;
        }

        // SQLite says "unable to open" (14) for a missing folder and when it cannot create its -wal or -shm: a
        // read-only file or folder, said as such. Any other cause is not known here, so it stays unexpected.
        if (kind == DatabaseProblemKind.Disk && file is not null)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
            if (!Directory.Exists(folder))
            {
                return new LedgerUnavailableException(
                    $"The ledger's folder {folder} does not exist, so the ledger {location} cannot be opened. Nothing was sent. Create the folder, or correct Ledger:ConnectionString, then run again.",
                    exception) { Kind = kind };
            }

            if (UnwritableFiles(file).Count > 0 || !FolderWritable(file))
            {
                kind = DatabaseProblemKind.ReadOnly;
            }
            else if (exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 14 })
            {
                return null;
            }
        }

        var cause = DatabaseProblem.First(exception);
        var message = kind switch
        {
            DatabaseProblemKind.Full =>
                $"The disk holding the ledger {location} is full ({cause}). {Kept} Free space on that disk (df -h {Folder(location, file)}), then run again.",
            DatabaseProblemKind.ReadOnly =>
                $"The ledger {location} cannot be written ({cause}): {ReadOnlyCulprit(location, file)}. Nothing was sent on its word. "
                + "Give the user running BatchVideo write access to it (and to the -wal and -shm files beside a SQLite ledger, and their folder), or remove a stale -shm/-wal left by another user while no run is active, then run again.",
            DatabaseProblemKind.Login => DatabaseProblem.LoginRefused(location, "Ledger:ConnectionString", exception),
            _ => $"The ledger {location} could not be opened or written ({cause}): check the disk and the file's permissions ({Folder(location, file)}). {Kept} Run again once it is fixed.",
        };
        return new LedgerUnavailableException(message, exception) { Kind = kind };
    }

    private static string Folder(string location, string? file) =>
        file is null ? location : Path.GetDirectoryName(Path.GetFullPath(file)) ?? file;

    /// <summary>Which of a SQLite ledger's files (or its folder) this user may not write: named, since a stale -shm is easy to miss.</summary>
    private static string ReadOnlyCulprit(string location, string? file)
    {
        if (file is null)
        {
            return "the database or this login is read-only";
        }

        var refused = UnwritableFiles(file);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        return refused.Count > 0
            ? $"{string.Join(" and ", refused)} cannot be written by this user{(FolderWritable(file) ? "" : $" (the folder {folder}, or the disk it is on, is read-only)")}"
            : $"the folder {folder} (or the disk it is on) is read-only for this user, so SQLite cannot create the ledger's -wal and -shm files beside {location}";
    }

    private static List<string> UnwritableFiles(string file)
    {
        var full = Path.GetFullPath(file);
        return [.. new[] { full, full + "-wal", full + "-shm" }.Where(f => File.Exists(f) && !Writable(f))];
    }

    private static bool FolderWritable(string file)
    {
        var probe = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, $".batchvideo-write-probe-{Guid.NewGuid():N}");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static bool Writable(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
