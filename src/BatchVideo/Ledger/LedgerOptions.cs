using System.ComponentModel.DataAnnotations;

// The namespace every command and test already names it by; the file lives with the ledger it configures.
#pragma warning disable IDE0130
namespace BatchVideo;
#pragma warning restore IDE0130

/// <summary>Where the ledger lives. SQLite by default, in a file beside the configuration.</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>sqlite (one machine), postgres or sqlserver (several machines share one ledger).</summary>
    public string Engine { get; set; } = "sqlite";

    /// <summary>For server engines, from the environment (Ledger__ConnectionString) or user secrets.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=batchvideo-ledger.db";

    /// <summary>How long a worker's claim on table rows lasts without renewal before another worker may take them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Copies of a SQLite ledger kept beside it, one taken before each run that changes it (0: none).
    /// Server ledgers are the server's to back up.
    /// </summary>
    [Range(0, 1000)]
    public int Backups { get; set; } = 3;
}
