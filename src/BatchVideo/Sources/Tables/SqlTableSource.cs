using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BatchVideo.Databases;
using Dapper;
using Polly;

namespace BatchVideo.Sources.Tables;

/// <summary>
/// A CRM table (SQL Server, PostgreSQL or SQLite) as a source and write-back target. Names come from
/// the live schema and are quoted; values are always parameters; pages use the key (never OFFSET);
/// write-back sends one statement per batch.
/// </summary>
public sealed class SqlTableSource : ITableSource, ISourceSize
{
    private readonly DatabaseEngine engine;
    private readonly string connectionString;
    private readonly TableSourceOptions options;
    private readonly TableSchema schema;
    private readonly TableColumn key;
    private readonly TableColumn[] read;
    private readonly TableColumn videoId;
    private readonly TableColumn status;
    private readonly TableColumn url;
    private readonly TableColumn? updatedAt;
    private readonly TimeProvider time;
    private readonly ResiliencePipeline retry;

    // The pending rows the latest read began with (its COUNT(*)), for the ETA; -1 before any read.
    private long pendingRows = -1;

    private SqlTableSource(
        DatabaseEngine engine, string connectionString, TableSourceOptions options, TableSchema schema, string keyColumn, WriteBackColumns columns, TimeProvider time, TimeSpan retryFor)
    {
        this.engine = engine;
        this.connectionString = connectionString;
        this.options = options;
        this.schema = schema;
        this.time = time;
        key = schema.Column(keyColumn, "Key");
        videoId = Suitable(schema.Column(columns.VideoId, "Video id"), 64);
        status = Suitable(schema.Column(columns.Status, "Status"), 20);
        url = Suitable(schema.Column(columns.Url, "URL"), 1000);
        if (options.UpdatedAtColumn is { Length: > 0 } stamp)
        {
            updatedAt = schema.Column(stamp, "Updated-at");
            if (!updatedAt.IsDateTime && !updatedAt.IsText)
            {
                throw new SourceException($"Updated-at column {updatedAt.Name} of {schema.Display} is {updatedAt.Describe()}; it needs a date/time type.");
            }
        }

        var wanted = options.Columns.Count == 0 ? schema.Columns : options.Columns.Select(c => schema.Column(c, "Read")).ToList();
        read = [key, .. wanted.Where(c => c != key)];
        Columns = [.. read.Select(c => c.Name)];
        retry = DatabaseRetry.BuildCrmTable(time, retryFor);
        Pages = TablePageWriter.For(engine, connectionString, schema, key, columns, updatedAt, retry, time);
    }

    /// <summary>Writes the recipient-page columns into done rows too, when any is named (<c>Columns:Page</c>, <c>Views</c>…).</summary>
    internal TablePageWriter? Pages { get; }

    /// <summary>A source over a known schema, without connecting (tests of the statements it builds).</summary>
    internal static SqlTableSource ForSchema(DatabaseEngine engine, TableSchema schema, TableSourceOptions options, string keyColumn, WriteBackColumns columns) =>
        new(engine, "", options, schema, keyColumn, columns, TimeProvider.System, TimeSpan.FromSeconds(1));

    public string Name => connectionString.Length == 0 ? schema.Display : $"{schema.Display} ({engine.Describe(connectionString)})";

    public IReadOnlyList<string> Columns { get; }

    public string KeyColumn => key.Name;

    /// <summary>Connects, checks table, columns, types and filter against the live database; throws SourceException naming the problem.</summary>
    public static async Task<SqlTableSource> OpenAsync(
        DatabaseEngine engine, string connectionString, TableSourceOptions options, string keyColumn, WriteBackColumns columns, TimeProvider time, CancellationToken ct, TimeSpan? retryFor = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        FilterGuard.Check(options.Filter);
        TableSchema schema;
        try
        {
            await using var connection = await engine.OpenAsync(connectionString, ct);
            schema = await TableSchema.LoadAsync(engine, connection, options.Table, ct);
        }
        catch (DbException e)
        {
            throw new SourceException($"Cannot read the schema of {options.Table} at {engine.Describe(connectionString)}: {e.Message}", e);
        }

        var source = new SqlTableSource(engine, connectionString, options, schema, keyColumn, columns, time, retryFor ?? DatabaseRetry.CrmTableRetryFor);
        await source.CheckQueriesAsync(ct);
        return source;
    }

    public async IAsyncEnumerable<SourceRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var page in ReadPendingPagesAsync(ct))
        {
            foreach (var row in page)
            {
                yield return row;
            }
        }
    }

    public long? TotalRows() => Interlocked.Read(ref pendingRows) is >= 0 and var rows ? rows : null;

    public async IAsyncEnumerable<IReadOnlyList<SourceRow>> ReadPendingPagesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        object? after = null;
        long number = 0;
        var count = await retry.ExecuteAsync(
            async token =>
            {
                await using var connection = await engine.OpenAsync(connectionString, token);
                return await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountQuery, cancellationToken: token));
            },
            ct);
        Interlocked.Exchange(ref pendingRows, count);
        while (true)
        {
            var sql = PageQuery(after is not null);
            var rows = await retry.ExecuteAsync(
                async token =>
                {
                    await using var connection = await engine.OpenAsync(connectionString, token);
                    return (await connection.QueryAsync(new CommandDefinition(sql, new { PageSize = options.PageSize, After = after }, cancellationToken: token))).ToList();
                },
                ct);
            if (rows.Count == 0)
            {
                yield break;
            }

            var page = new List<SourceRow>(rows.Count);
            foreach (IDictionary<string, object?> row in rows)
            {
                page.Add(ToSourceRow(row, ++number));
            }

            after = ((IDictionary<string, object?>)rows[^1])[key.Name];
            yield return page;
        }
    }

    public async Task<IReadOnlyList<SourceRow>> FetchAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var typed = TypedKeys(keys);
        var rows = await retry.ExecuteAsync(
            async token =>
            {
                await using var connection = await engine.OpenAsync(connectionString, token);
                return (await connection.QueryAsync(new CommandDefinition(FetchQuery, new { Keys = typed }, cancellationToken: token))).ToList();
            },
            ct);
        long number = 0;
        return [.. rows.Cast<IDictionary<string, object?>>().Select(r => ToSourceRow(r, ++number))];
    }

    /// <summary>
    /// Writes the ledger's results into every row that still lacks a URL, one UPDATE per page.
    /// Transient failures (a restarting server) are retried; what cannot be written stays in the
    /// ledger and the next run writes it.
    /// </summary>
    public async Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var written = new List<string>();
        await foreach (var page in ReadPendingPagesAsync(ct))
        {
            var keys = page.Select(r => r.Key(0)).ToList();
            var values = await lookup(keys, ct);
            // Pending and claimed entries carry no news; everything else (even a rejection) tells the operator something.
            var batch = values.Where(v => v.Value.Status is not ("pending" or "claimed")).Select(v => new Dictionary<string, string?>
            {
                ["k"] = v.Key,
                ["v"] = v.Value.VideoId,
                ["s"] = v.Value.Status,
                ["u"] = v.Value.Url,
            }).ToList();
            if (batch.Count == 0)
            {
                continue;
            }

            var json = JsonSerializer.Serialize(batch);
            var now = time.GetUtcNow().UtcDateTime;
            await retry.ExecuteAsync(
                async token =>
                {
                    await using var connection = await engine.OpenAsync(connectionString, token);
                    await connection.ExecuteAsync(new CommandDefinition(WriteBackStatement, new { Batch = json, Now = now }, cancellationToken: token));
                },
                ct);
            written.AddRange(batch.Select(b => b["k"]!));
        }

        return new WriteBackResult(Name, written);
    }

    /// <summary>Every statement this source can send, for the T-SQL parse test and for review.</summary>
    public IReadOnlyList<string> Statements => [PageQuery(false), PageQuery(true), FetchQuery, CountQuery, WriteBackStatement, .. Pages is null ? [] : new[] { Pages.Statement }];

    private string Q(TableColumn column) => engine.Quote(column.Name);

    private string Table => schema.QuotedName(engine);

    private string EmptyString => engine.Kind == EngineKind.SqlServer ? "N''" : "''";

    private string Pending => $"({Q(url)} IS NULL OR {Q(url)} = {EmptyString})"
        + (string.IsNullOrWhiteSpace(options.Filter) ? "" : $" AND ({options.Filter})");

    private string SelectList => string.Join(", ", read.Select(Q));

    private string PageQuery(bool afterKey)
    {
        var where = Pending + (afterKey ? $" AND {Q(key)} > @After" : "");
        return engine.Kind == EngineKind.SqlServer
            ? $"SELECT TOP (@PageSize) {SelectList} FROM {Table} WHERE {where} ORDER BY {Q(key)}"
            : $"SELECT {SelectList} FROM {Table} WHERE {where} ORDER BY {Q(key)} LIMIT @PageSize";
    }

    private string CountQuery => $"SELECT COUNT(*) FROM {Table} WHERE {Pending}";

    private string FetchQuery => $"SELECT {SelectList} FROM {Table} WHERE {Pending} AND {engine.InList(Q(key), "Keys")} ORDER BY {Q(key)}";

    private string WriteBackStatement
    {
        get
        {
            var sets = new List<string> { $"{Q(videoId)} = w.v", $"{Q(status)} = w.s", $"{Q(url)} = w.u" };
            if (updatedAt is not null)
            {
                sets.Add($"{Q(updatedAt)} = @Now");
            }

            return engine.Kind switch
            {
                // OPENJSON: one round trip per batch, and no object has to be created in the CRM database.
                EngineKind.SqlServer => $"""
                    UPDATE t SET {string.Join(", ", sets.Select(s => "t." + s))}
                    FROM {Table} AS t
                    JOIN OPENJSON(@Batch) WITH (k nvarchar(400) '$.k', v nvarchar(128) '$.v', s nvarchar(32) '$.s', u nvarchar(max) '$.u') AS w
                        ON t.{Q(key)} = w.k
                    """,
                EngineKind.Postgres => $"""
                    UPDATE {Table} AS t SET {string.Join(", ", sets)}
                    FROM jsonb_to_recordset(CAST(@Batch AS jsonb)) AS w(k text, v text, s text, u text)
                    WHERE t.{Q(key)} = CAST(w.k AS {PostgresType(key)})
                    """,
                _ => $"""
                    UPDATE {Table} SET {string.Join(", ", sets)}
                    FROM (SELECT json_extract(value, '$.k') AS k, json_extract(value, '$.v') AS v,
                                 json_extract(value, '$.s') AS s, json_extract(value, '$.u') AS u
                          FROM json_each(@Batch)) AS w
                    WHERE {Table}.{Q(key)} = w.k
                    """,
            };
        }
    }

    /// <summary>
    /// Runs the query once against an empty page (it compiles), then once for its first row (the filter runs:
    /// a function the engine refuses only fails on a row), so a bad filter fails at start, not mid-run. The
    /// second look is bounded by <see cref="ProbeTime"/>: a filter slow to find a first row is not wrong.
    /// </summary>
    private async Task CheckQueriesAsync(CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(ProbeTime);
        try
        {
            await using var connection = await engine.OpenAsync(connectionString, bound.Token);
            await connection.ExecuteAsync(new CommandDefinition(Probe(0), cancellationToken: bound.Token));
            await using var interrupt = bound.Token.Register(() => Interrupt(connection));
            await connection.ExecuteScalarAsync(new CommandDefinition(Probe(1), cancellationToken: bound.Token));
        }
        catch (Exception e) when (bound.IsCancellationRequested && !ct.IsCancellationRequested && e is OperationCanceledException or DbException)
        {
            // The first row takes longer than the bound to find: the filter ran this far, so it is taken as sound.
        }
        catch (DbException e)
        {
            throw new SourceException($"The query of {schema.Display} fails (check Filter '{options.Filter}'): {e.Message}", e);
        }
    }

    /// <summary>How long the start-up look for the first pending row may take.</summary>
    internal static readonly TimeSpan ProbeTime = TimeSpan.FromSeconds(5);

    private string Probe(int rows) => engine.Kind == EngineKind.SqlServer
        ? $"SELECT TOP ({rows}) {SelectList} FROM {Table} WHERE {Pending}"
        : $"SELECT {SelectList} FROM {Table} WHERE {Pending} LIMIT {rows}";

    /// <summary>SQLite runs a statement in this thread and ignores the token mid-step: sqlite3_interrupt ends it.</summary>
    private static void Interrupt(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle })
        {
            SQLitePCL.raw.sqlite3_interrupt(handle);
        }
    }

    private SourceRow ToSourceRow(IDictionary<string, object?> row, long number)
    {
        var values = new string[read.Length];
        for (var i = 0; i < read.Length; i++)
        {
            values[i] = Format(row[read[i].Name]);
        }

        return new SourceRow(number, values, null, null);
    }

    /// <summary>Keys as an array of the key column's own type, so comparisons use its index (and PostgreSQL gets a typed array).</summary>
    private Array TypedKeys(IReadOnlyList<string> keys) =>
        key.IsInteger ? keys.Select(k => long.Parse(k, CultureInfo.InvariantCulture)).ToArray()
        : key.IsUuid ? keys.Select(Guid.Parse).ToArray()
        : keys.ToArray();

    private static string PostgresType(TableColumn column) => column switch
    {
        { IsInteger: true } => "bigint",
        { IsUuid: true } => "uuid",
        _ => "text",
    };

    private static string Format(object? value) => value switch
    {
        null or DBNull => "",
        string text => text,
        DateTime { TimeOfDay.Ticks: 0 } date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dateTime => dateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset offset => offset.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private TableColumn Suitable(TableColumn column, int characters)
    {
        if (!column.IsText || !column.Holds(characters))
        {
            throw new SourceException(
                $"Column {column.Name} of {schema.Display} is {column.Describe()}: it must be a text column of at least {characters} characters (for a URL, nvarchar(max) or text).");
        }

        return column;
    }
}
