using System.Data.Common;
using BatchVideo.Databases;
using Dapper;

namespace BatchVideo.Sources.Tables;

/// <summary>
/// A table as the live database describes it. Every name BatchVideo puts into SQL is one of these,
/// found in INFORMATION_SCHEMA (or SQLite's table_info), never text taken from configuration.
/// </summary>
public sealed class TableSchema
{
    private TableSchema(string? schema, string name, IReadOnlyList<TableColumn> columns)
    {
        Schema = schema;
        Name = name;
        Columns = columns;
    }

    public string? Schema { get; }

    public string Name { get; }

    public IReadOnlyList<TableColumn> Columns { get; }

    public string Display => Schema is null ? Name : $"{Schema}.{Name}";

    /// <summary>A schema known without a database (tests of the statements built from it).</summary>
    internal static TableSchema Describe(string? schema, string name, IReadOnlyList<TableColumn> columns) => new(schema, name, columns);

    public static async Task<TableSchema> LoadAsync(DatabaseEngine engine, DbConnection connection, string configured, CancellationToken ct)
    {
        var parts = configured.Split('.');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0))
        {
            throw new SourceException($"Table '{configured}' is not a table name: write schema.table or table.");
        }

        var (schema, table) = parts.Length == 2 ? (parts[0], parts[1]) : (DefaultSchema(engine), parts[0]);
        var rows = (await connection.QueryAsync<ColumnRow>(new CommandDefinition(ColumnsQuery(engine), new { Schema = schema, Table = table }, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            throw new SourceException($"Table '{configured}' does not exist (or is not visible to this login).");
        }

        // A case-insensitive match may find two tables ("Contacts" and "contacts"); the exact one wins.
        var exact = rows.Where(r => r.TableName == table && (engine.Kind == EngineKind.Sqlite || r.TableSchema == schema)).ToList();
        var chosen = exact.Count > 0 ? exact : rows.Where(r => r.TableName == rows[0].TableName && r.TableSchema == rows[0].TableSchema).ToList();
        return new TableSchema(
            engine.Kind == EngineKind.Sqlite ? null : chosen[0].TableSchema,
            chosen[0].TableName,
            [.. chosen.Select(r => new TableColumn(r.ColumnName, r.DataType.ToLowerInvariant(), r.MaxLength))]);
    }

    /// <summary>The column of that name (exact, else ignoring case), or a start-up error listing the columns.</summary>
    public TableColumn Column(string name, string role) =>
        Columns.FirstOrDefault(c => c.Name == name)
        ?? Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new SourceException(
            $"{role} column '{name}' is not in table {Display}. Its columns are: {string.Join(", ", Columns.Select(c => c.Name))}.");

    public string QuotedName(DatabaseEngine engine) =>
        Schema is null ? engine.Quote(Name) : $"{engine.Quote(Schema)}.{engine.Quote(Name)}";

    private static string? DefaultSchema(DatabaseEngine engine) => engine.Kind switch
    {
        EngineKind.SqlServer => "dbo",
        EngineKind.Postgres => "public",
        _ => null,
    };

    private static string ColumnsQuery(DatabaseEngine engine) => engine.Kind switch
    {
        EngineKind.Sqlite => """
            SELECT 'main' AS TableSchema, m.name AS TableName, c.name AS ColumnName, c.type AS DataType, NULL AS MaxLength
            FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS c
            WHERE m.type IN ('table', 'view') AND lower(m.name) = lower(@Table)
            ORDER BY m.name, c.cid
            """,
        _ => """
            SELECT TABLE_SCHEMA AS TableSchema, TABLE_NAME AS TableName, COLUMN_NAME AS ColumnName, DATA_TYPE AS DataType,
                   CHARACTER_MAXIMUM_LENGTH AS MaxLength
            FROM INFORMATION_SCHEMA.COLUMNS
            WHERE LOWER(TABLE_SCHEMA) = LOWER(@Schema) AND LOWER(TABLE_NAME) = LOWER(@Table)
            ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION
            """,
    };

    private sealed class ColumnRow
    {
        public string TableSchema { get; set; } = "";

        public string TableName { get; set; } = "";

        public string ColumnName { get; set; } = "";

        public string DataType { get; set; } = "";

        public long? MaxLength { get; set; }
    }
}

/// <summary>One column: its name as the database spells it, its type and its character length (-1: max).</summary>
public sealed record TableColumn(string Name, string DataType, long? MaxLength)
{
    public bool IsText => DataType.Contains("char", StringComparison.Ordinal) || DataType.Contains("text", StringComparison.Ordinal)
        || DataType.Length == 0; // SQLite columns without a declared type take any value

    public bool IsInteger => DataType is "int" or "integer" or "bigint" or "smallint" or "tinyint" or "int4" or "int8" or "int2";

    public bool IsUuid => DataType is "uuid" or "uniqueidentifier";

    public bool IsDateTime => DataType.Contains("date", StringComparison.Ordinal) || DataType.Contains("time", StringComparison.Ordinal);

    /// <summary>Whether it can hold <paramref name="characters"/> characters (no declared length means no limit).</summary>
    public bool Holds(int characters) => MaxLength is null or -1 || MaxLength >= characters;

    public string Describe() => MaxLength is null ? DataType : $"{DataType}({(MaxLength == -1 ? "max" : MaxLength)})";
}
