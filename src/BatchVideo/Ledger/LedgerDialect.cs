using System.Data.Common;

namespace BatchVideo.Ledger;

/// <summary>
/// The seam between the ledger and a database engine: how to connect, the schema migrations, and the
/// few statements whose syntax differs. Everything else in <see cref="LedgerStore"/> is shared.
/// </summary>
public abstract class LedgerDialect
{
    public abstract string Engine { get; }

    /// <summary>The ledger table, qualified and quoted for this engine.</summary>
    public abstract string Table { get; }

    /// <summary>The table that records which migrations ran.</summary>
    public abstract string MigrationsTable { get; }

    public abstract IReadOnlyList<LedgerMigration> Migrations { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Runs once per opened connection (session settings).</summary>
    public virtual string? OnOpen => null;

    public abstract string CreateMigrationsTable { get; }

    /// <summary>Inserts a submitting entry unless one exists for the recipient; affects 0 or 1 row.</summary>
    public virtual string InsertSubmittingIfAbsent => $"""
        INSERT INTO {Table} (campaign, recipient_key, state, attempt, idempotency_key, title_marker, created_at, updated_at)
        VALUES (@Campaign, @RecipientKey, 'submitting', 1, @IdempotencyKey, @TitleMarker, @Now, @Now)
        ON CONFLICT (campaign, recipient_key) DO NOTHING
        """;

    /// <summary>
    /// False when connecting would create the database (an embedded file not there yet), so read-only
    /// commands can tell "no ledger yet" without making one. Servers' databases are never created by a connection.
    /// </summary>
    public virtual bool MayExist(string connectionString) => true;

    /// <summary>Largest IN list sent in one statement.</summary>
    public virtual int MaxKeysPerQuery => 500;
}

/// <summary>One versioned schema change, applied once and recorded.</summary>
public sealed record LedgerMigration(int Version, string Description, string Sql);
