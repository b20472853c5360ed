using BatchVideo.Campaigns;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Databases;

/// <summary>The engine names and SQLite file paths of the configuration, resolved against the configuration's folder.</summary>
public static class EnginePaths
{
    public static bool IsSqlite(string? name) => IsEngine(name) && DatabaseEngine.Parse(name).Kind == EngineKind.Sqlite;

    /// <summary>SQLite files that table campaigns read: a ledger placed in one of them on purpose shares it with the CRM's tables.</summary>
    public static IReadOnlyList<string> SharedSqliteFiles(BatchVideoOptions options) =>
    [
        .. options.Campaigns.Values
            .Select(c => c.Source)
            .Where(s => s?.ConnectionString is not null && IsSqlite(s.Engine))
            .Select(s => new SqliteConnectionStringBuilder(s!.ConnectionString).DataSource),
    ];

    public static bool IsEngine(string? name)
    {
        try
        {
            DatabaseEngine.Parse(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A relative SQLite file resolves against the configuration's folder, not the working directory.</summary>
    public static string ResolveSqlitePath(string connectionString, string baseDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !Path.IsPathRooted(file))
        {
            builder.DataSource = Path.GetFullPath(file, baseDirectory);
        }

        return builder.ToString();
    }
}
