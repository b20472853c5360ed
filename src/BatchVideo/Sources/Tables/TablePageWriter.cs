using System.Text.Json;
using BatchVideo.Databases;
using Dapper;
using Polly;

namespace BatchVideo.Sources.Tables;

/// <summary>
/// Writes the recipient-page columns (<c>Columns:Page</c>, <c>Views</c>, <c>FirstViewedAt</c>, <c>WatchedPercent</c>,
/// <c>CtaClickedAt</c>, <c>EmailHtml</c>) of a CRM table. Unlike the video cells these change after a row is done
/// (a view tomorrow), so they are written by key into any row, not only the pending ones: one UPDATE per batch,
/// which changes only the rows whose page cells differ, so an unchanged row is not touched (nor its updated-at
/// stamp, nor a trigger fired).
/// </summary>
internal sealed class TablePageWriter
{
    /// <summary>Rows per statement: the JSON batch of 500 rows of six cells stays well under a megabyte.</summary>
    internal const int BatchSize = 500;

    private readonly DatabaseEngine engine;
    private readonly string connectionString;
    private readonly string table;
    private readonly TableColumn key;
    private readonly (string Fact, TableColumn Column)[] columns;
    private readonly TableColumn? updatedAt;
    private readonly ResiliencePipeline retry;
    private readonly TimeProvider time;

    private TablePageWriter(
        DatabaseEngine engine, string connectionString, string table, TableColumn key, (string Fact, TableColumn Column)[] columns, TableColumn? updatedAt, ResiliencePipeline retry, TimeProvider time)
    {
        this.engine = engine;
        this.connectionString = connectionString;
        this.table = table;
        this.key = key;
        this.columns = columns;
        this.updatedAt = updatedAt;
        this.retry = retry;
        this.time = time;
    }

    /// <summary>The writer of the named page columns, or null when none is named; a column of the wrong type is a start-up error.</summary>
    internal static TablePageWriter? For(
        DatabaseEngine engine, string connectionString, TableSchema schema, TableColumn key, WriteBackColumns names, TableColumn? updatedAt, ResiliencePipeline retry, TimeProvider time)
    {
        var named = names.PageFacts.Where(f => f.Column is not null).Select(f => (f.Fact, Column: Checked(schema, f.Fact, schema.Column(f.Column!, f.Fact)))).ToArray();
        return named.Length == 0 ? null : new TablePageWriter(engine, connectionString, schema.QuotedName(engine), key, named, updatedAt, retry, time);
    }

    /// <summary>The facts written, in the order of the cells <see cref="WriteAsync"/> takes.</summary>
    internal IReadOnlyList<string> Facts => [.. columns.Select(c => c.Fact)];

    /// <summary>Writes each key's cells (in <see cref="Facts"/> order, null for none), a batch per statement; retried as the source's reads are.</summary>
    /// <returns>How many keys were sent (rows whose cells were already equal are sent but not changed).</returns>
    internal async Task<int> WriteAsync(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> rows, CancellationToken ct)
    {
        var sent = 0;
        foreach (var batch in rows.Chunk(BatchSize))
        {
            var json = JsonSerializer.Serialize(batch.Select(Row).ToList());
            var now = time.GetUtcNow().UtcDateTime;
            await retry.ExecuteAsync(
                async token =>
                {
                    await using var connection = await engine.OpenAsync(connectionString, token);
                    await connection.ExecuteAsync(new CommandDefinition(Statement, new { Batch = json, Now = now }, cancellationToken: token));
                },
                ct);
            sent += batch.Length;
        }

        return sent;
    }

    private static Dictionary<string, string?> Row(KeyValuePair<string, IReadOnlyList<string?>> row)
    {
        var cells = new Dictionary<string, string?> { ["k"] = row.Key };
        for (var i = 0; i < row.Value.Count; i++)
        {
            cells["c" + i] = row.Value[i];
        }

        return cells;
    }

    /// <summary>The UPDATE, for the T-SQL parse test and for review.</summary>
    internal string Statement
    {
        get
        {
            var cells = columns.Select((c, i) => (Name: engine.Quote(c.Column.Name), Value: Value(c.Column, "w.c" + i), Json: "c" + i, c.Column)).ToList();
            var sets = cells.Select(c => $"{c.Name} = {c.Value}").ToList();
            if (updatedAt is not null)
            {
                sets.Add($"{engine.Quote(updatedAt.Name)} = @Now");
            }

            var k = engine.Quote(key.Name);
            return engine.Kind switch
            {
                // EXCEPT compares NULLs as equal, which SQL Server's IS DISTINCT FROM did not before 2022.
                EngineKind.SqlServer => $"""
                    UPDATE t SET {string.Join(", ", sets.Select(s => "t." + s))}
                    FROM {table} AS t
                    JOIN OPENJSON(@Batch) WITH (k nvarchar(400) '$.k', {string.Join(", ", cells.Select(c => $"{c.Json} {SqlServerType(c.Column)} '$.{c.Json}'"))}) AS w
                        ON t.{k} = w.k
                    WHERE EXISTS (SELECT {string.Join(", ", cells.Select(c => "t." + c.Name))} EXCEPT SELECT {string.Join(", ", cells.Select(c => c.Value))})
                    """,
                EngineKind.Postgres => $"""
                    UPDATE {table} AS t SET {string.Join(", ", sets)}
                    FROM jsonb_to_recordset(CAST(@Batch AS jsonb)) AS w(k text, {string.Join(", ", cells.Select(c => c.Json + " text"))})
                    WHERE t.{k} = CAST(w.k AS {PostgresType(key)})
                      AND ({string.Join(" OR ", cells.Select(c => $"t.{c.Name} IS DISTINCT FROM {c.Value}"))})
                    """,
                _ => $"""
                    UPDATE {table} SET {string.Join(", ", sets)}
                    FROM (SELECT json_extract(value, '$.k') AS k, {string.Join(", ", cells.Select(c => $"json_extract(value, '$.{c.Json}') AS {c.Json}"))}
                          FROM json_each(@Batch)) AS w
                    WHERE {table}.{k} = w.k
                      AND ({string.Join(" OR ", cells.Select(c => $"{table}.{c.Name} IS NOT {c.Value}"))})
                    """,
            };
        }
    }

    /// <summary>The JSON cell as the column's type: PostgreSQL converts text only when told; the others convert on assignment.</summary>
    private string Value(TableColumn column, string cell) => engine.Kind == EngineKind.Postgres ? $"CAST({cell} AS {PostgresType(column)})" : cell;

    internal static string PostgresType(TableColumn column) => column switch
    {
        { IsInteger: true } => "bigint",
        { IsUuid: true } => "uuid",
        // ISO 8601 with Z: a timestamp without time zone keeps the UTC wall-clock time, one with a zone the instant.
        { DataType: "timestamp with time zone" } => "timestamptz",
        { IsDateTime: true, IsText: false } => "timestamp",
        _ => "text",
    };

    private static string SqlServerType(TableColumn column) => column switch
    {
        { IsInteger: true } => "bigint",
        { DataType: "datetimeoffset" } => "datetimeoffset",
        { IsDateTime: true, IsText: false } => "datetime2",
        _ => "nvarchar(max)",
    };

    /// <summary>A page column must hold what is written: URLs and snippets as long text, counts as numbers or text, times as dates or text.</summary>
    private static TableColumn Checked(TableSchema schema, string fact, TableColumn column)
    {
        var fits = fact switch
        {
            "Page" => column.IsText && column.Holds(1000),
            "EmailHtml" => column.IsText && column.Holds(4000),
            "Views" or "WatchedPercent" => column.IsInteger || (column.IsText && column.Holds(20)),
            _ => (column.IsDateTime && !column.IsText) || (column.IsText && column.Holds(20)),
        };
        return fits ? column : throw new SourceException(
            $"Column {column.Name} of {schema.Display} (Columns:{fact}) is {column.Describe()}: " + fact switch
            {
                "Page" => "the page URL needs a text column of at least 1000 characters.",
                "EmailHtml" => "the e-mail snippet needs a long text column (nvarchar(max) or text).",
                "Views" or "WatchedPercent" => "it needs an integer or a text column.",
                _ => "it needs a date/time or a text column of at least 20 characters.",
            });
    }
}
