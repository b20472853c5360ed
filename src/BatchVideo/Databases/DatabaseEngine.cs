using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BatchVideo.Databases;

/// <summary>The relational engines BatchVideo speaks: SQL Server in production, SQLite embedded, PostgreSQL.</summary>
public enum EngineKind
{
    Sqlite,
    Postgres,
    SqlServer,
}

/// <summary>
/// What differs between engines outside of individual statements: how to connect, how to quote a
/// name, and how a page is limited. Statements themselves live with the feature that runs them.
/// </summary>
public abstract class DatabaseEngine
{
    public static readonly DatabaseEngine Sqlite = new SqliteEngine();
    public static readonly DatabaseEngine Postgres = new PostgresEngine();
    public static readonly DatabaseEngine SqlServer = new SqlServerEngine();

    public abstract EngineKind Kind { get; }

    /// <summary>Names of the engine as written in configuration.</summary>
    public static DatabaseEngine Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => Sqlite,
        "postgres" or "postgresql" or "npgsql" => Postgres,
        "sqlserver" or "mssql" or "sql server" => SqlServer,
        _ => throw new ArgumentException($"Unknown database engine '{name}': use sqlite, postgres or sqlserver."),
    };

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Quotes one identifier part (a name checked against the live schema beforehand).</summary>
    public abstract string Quote(string identifier);

    /// <summary>
    /// "column is one of the list in @parameter". Dapper expands IN @list into one parameter per value,
    /// except on PostgreSQL, where it sends a real array that ANY() compares against.
    /// </summary>
    public virtual string InList(string column, string parameter) => $"{column} IN @{parameter}";

    /// <summary>Runs once per opened connection (session settings), or null.</summary>
    public virtual string? OnOpen => null;

    /// <summary>Whether an exception is worth retrying (a dropped connection, a restarting server, a deadlock).</summary>
    public virtual bool IsTransient(Exception exception) => exception switch
    {
        DbException { IsTransient: true } => true,
        System.Net.Sockets.SocketException or TimeoutException => true,
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <summary>Opens a connection and applies <see cref="OnOpen"/>.</summary>
    public async Task<DbConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = CreateConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            if (OnOpen is { } setup)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = setup;
                await command.ExecuteNonQueryAsync(ct);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection string without its password, for messages.</summary>
    public abstract string Describe(string connectionString);

    private sealed class SqliteEngine : DatabaseEngine
    {
        public override EngineKind Kind => EngineKind.Sqlite;

        // WAL lets readers go on while a writer commits; NORMAL sync in WAL mode survives a killed
        // process (only power loss can drop the last commits), and is what makes per-row writes cheap.
        public override string OnOpen => "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

        public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

        public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        public override bool IsTransient(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 5 or 6 } || base.IsTransient(exception); // BUSY, LOCKED

        public override string Describe(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;
    }

    private sealed class PostgresEngine : DatabaseEngine
    {
        public override EngineKind Kind => EngineKind.Postgres;

        public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

        public override string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

        public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        public override bool IsTransient(Exception exception) =>
            exception is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "40001" or "40P01" }
            || exception is NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or EndOfStreamException }
            || base.IsTransient(exception);

        public override string Describe(string connectionString)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    private sealed class SqlServerEngine : DatabaseEngine
    {
        // SqlClient retries opens and commands on its documented transient error numbers itself.
        private static readonly SqlRetryLogicBaseProvider RetryProvider = SqlConfigurableRetryFactory.CreateExponentialRetryProvider(
            new SqlRetryLogicOption { NumberOfTries = 5, DeltaTime = TimeSpan.FromSeconds(1), MaxTimeInterval = TimeSpan.FromSeconds(20) });

        public override EngineKind Kind => EngineKind.SqlServer;

        public override DbConnection CreateConnection(string connectionString) =>
            new SqlConnection(connectionString) { RetryLogicProvider = RetryProvider };

        /// <summary>QUOTENAME's rule: brackets, with a closing bracket doubled.</summary>
        public override string Quote(string identifier) => "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";

        public override string Describe(string connectionString)
        {
            var builder = new SqlConnectionStringBuilder(connectionString);
            return $"mssql://{builder.DataSource}/{builder.InitialCatalog}";
        }
    }
}
