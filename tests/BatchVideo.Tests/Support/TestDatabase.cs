using BatchVideo.Databases;
using Dapper;

namespace BatchVideo.Tests.Support;

/// <summary>
/// An empty database of one engine for one test: SQLite (always), PostgreSQL (private server), SQL Server
/// (only when BATCHVIDEO_TEST_SQLSERVER holds a connection string; a database per test is created there).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string SqlServerVariable = "BATCHVIDEO_TEST_SQLSERVER";

    private readonly Func<Task>? drop;

    private TestDatabase(string engineName, DatabaseEngine engine, string connectionString, Func<Task>? drop)
    {
        EngineName = engineName;
        Engine = engine;
        ConnectionString = connectionString;
        this.drop = drop;
    }

    /// <summary>The engines every relational test runs on.</summary>
    public static IEnumerable<string> Engines => ["sqlite", "postgres", "sqlserver"];

    public string EngineName { get; }

    public DatabaseEngine Engine { get; }

    public string ConnectionString { get; }

    /// <summary>The sample contacts table's name as each engine's DDL spells it.</summary>
    public string ContactsTable => Engine.Kind switch
    {
        EngineKind.SqlServer => "dbo.Contacts",
        EngineKind.Postgres => "public.contacts",
        _ => "contacts",
    };

    public static async Task<TestDatabase> CreateAsync(string engine, TempFolder folder)
    {
        switch (engine)
        {
            case "sqlite":
                return new TestDatabase(engine, DatabaseEngine.Sqlite, $"Data Source={folder.File("crm.db")}", null);
            case "postgres":
                return new TestDatabase(engine, DatabaseEngine.Postgres, await PostgresServer.Shared.CreateDatabaseAsync(), null);
            default:
                var server = Environment.GetEnvironmentVariable(SqlServerVariable);
                if (string.IsNullOrWhiteSpace(server))
                {
                    Assert.Ignore($"SQL Server suite: set {SqlServerVariable} to a connection string (a login that may CREATE DATABASE) to run it.");
                }

                var name = "bv_test_" + Guid.NewGuid().ToString("N")[..12];
                await using (var admin = await DatabaseEngine.SqlServer.OpenAsync(server!, CancellationToken.None))
                {
                    await admin.ExecuteAsync($"CREATE DATABASE [{name}]");
                }

                var builder = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(server) { InitialCatalog = name };
                return new TestDatabase(engine, DatabaseEngine.SqlServer, builder.ConnectionString, async () =>
                {
                    Microsoft.Data.SqlClient.SqlConnection.ClearAllPools();
                    await using var admin = await DatabaseEngine.SqlServer.OpenAsync(server!, CancellationToken.None);
                    await admin.ExecuteAsync($"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]");
                });
        }
    }

    /// <summary>Creates the sample contacts table from sample-data/crm-contacts.&lt;engine&gt;.sql.</summary>
    public async Task CreateSampleContactsAsync()
    {
        var file = Path.Combine(Repository.Root, "sample-data", $"crm-contacts.{EngineName}.sql");
        await ExecuteAsync(await File.ReadAllTextAsync(file));
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await Engine.OpenAsync(ConnectionString, CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(sql, parameters, transaction);
        await transaction.CommitAsync();
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Engine.OpenAsync(ConnectionString, CancellationToken.None);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }


    public async ValueTask DisposeAsync()
    {
        if (drop is not null)
        {
            await drop();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
