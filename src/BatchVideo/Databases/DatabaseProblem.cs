using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BatchVideo.Databases;

/// <summary>What kind of trouble in a database's surroundings (not in a statement) an error is.</summary>
public enum DatabaseProblemKind
{
    /// <summary>The disk (or the server's storage) is full.</summary>
    Full,

    /// <summary>The file, its folder or the database is read-only for this user.</summary>
    ReadOnly,

    /// <summary>The file could not be opened, or the disk failed to read or write.</summary>
    Disk,

    /// <summary>The server refused the login: wrong user or password.</summary>
    Login,
}

/// <summary>
/// Tells an environment problem (a full disk, a read-only file, a refused login) from a bug: those are for
/// the operator to fix, so a command stops with exit code 2 and a sentence instead of an "unexpected failure".
/// Codes: SQLite's result codes (sqlite.org/rescode.html), PostgreSQL's SQLSTATE (appendix A of its manual),
/// SQL Server's error numbers (1105 and 9002 full, 3906 read-only, 18456 login failed).
/// </summary>
public static class DatabaseProblem
{
    /// <summary>The kind of environment problem <paramref name="exception"/> (or an exception inside it) is; null when it is none.</summary>
    public static DatabaseProblemKind? Of(Exception? exception) => exception switch
    {
        null => null,
        SqliteException { SqliteErrorCode: 13 } => DatabaseProblemKind.Full, // SQLITE_FULL
        SqliteException { SqliteErrorCode: 8 } => DatabaseProblemKind.ReadOnly, // SQLITE_READONLY
        SqliteException { SqliteErrorCode: 10 or 14 } => DatabaseProblemKind.Disk, // SQLITE_IOERR, SQLITE_CANTOPEN
        PostgresException { SqlState: "53100" } => DatabaseProblemKind.Full, // disk_full
        PostgresException { SqlState: "25006" } => DatabaseProblemKind.ReadOnly, // read_only_sql_transaction
        PostgresException { SqlState: "28P01" or "28000" } => DatabaseProblemKind.Login, // invalid_password, invalid_authorization_specification
        SqlException { Number: 1105 or 9002 } => DatabaseProblemKind.Full,
        SqlException { Number: 3906 } => DatabaseProblemKind.ReadOnly,
        SqlException { Number: 18456 } => DatabaseProblemKind.Login,
        IOException e when IsDiskFull(e) => DatabaseProblemKind.Full,
        AggregateException { InnerExceptions: [var only] } => Of(only),
        DbException or IOException => Of(exception.InnerException),
        _ => Of(exception.InnerException),
    };

    /// <summary>ENOSPC (28) or, on Windows, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL.</summary>
    private static bool IsDiskFull(IOException e) =>
        (e.HResult & 0xFFFF) is 28 or 0x70 or 0x27 || e.Message.Contains("No space left on device", StringComparison.Ordinal);

    /// <summary>One sentence for a refused login to <paramref name="location"/> (a description without the password; null: unknown), naming the setting to fix.</summary>
    public static string LoginRefused(string? location, string setting, Exception e) =>
        $"{(location is null ? "A database" : $"The database {location}")} refused the login ({First(e)}): the user or password in {setting} is wrong. Nothing was sent. Fix it (or the environment variable that sets it) and run again.";

    /// <summary>The engine's own first line of the error, without its trailing stop.</summary>
    public static string First(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e is SqliteException sqlite ? sqlite.Message.Replace("SQLite Error ", "error ", StringComparison.Ordinal) : e.Message;
        return message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
    }
}
