using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Ledger;

/// <summary>The embedded default: a SQLite file next to the configuration.</summary>
public sealed class SqliteLedgerDialect : LedgerDialect
{
    public override string Engine => "sqlite";

    public override string Table => "ledger_entries";

    public override string MigrationsTable => "batchvideo_migrations";

    // WAL lets readers go on while a writer commits; NORMAL sync in WAL mode survives a killed
    // process (only power loss can drop the last commits), and is what makes per-row writes cheap.
    public override string OnOpen => "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override string CreateMigrationsTable => """
        CREATE TABLE IF NOT EXISTS batchvideo_migrations (
            version INTEGER NOT NULL PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at INTEGER NOT NULL)
        """;

    public override IReadOnlyList<LedgerMigration> Migrations { get; } =
    [
        new(1, "ledger entries", """
            CREATE TABLE ledger_entries (
                campaign TEXT NOT NULL,
                recipient_key TEXT NOT NULL,
                state TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL,
                title_marker TEXT NOT NULL,
                video_id TEXT NULL,
                video_status TEXT NULL,
                video_url TEXT NULL,
                video_page_url TEXT NULL,
                error_code TEXT NULL,
                error_message TEXT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                submitted_at INTEGER NULL,
                completed_at INTEGER NULL,
                written_back_at INTEGER NULL,
                PRIMARY KEY (campaign, recipient_key));
            CREATE INDEX ix_ledger_entries_state ON ledger_entries (campaign, state);
            """),
    ];

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override bool MayExist(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode != SqliteOpenMode.Memory
            && builder.DataSource is { Length: > 0 } file and not ":memory:"
            && File.Exists(file);
    }
}
