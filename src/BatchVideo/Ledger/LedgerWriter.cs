using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Reflection;
using BatchVideo.Databases;
using Polly;

namespace BatchVideo.Ledger;

/// <summary>
/// Group commit for the ledger's per-row writes. Callers queue one statement each and wait; a single
/// writer takes everything queued, runs it in one transaction, commits, and only then releases each
/// caller with its own result. So a caller never goes on (sends a create, say) before its own write is
/// durable, yet a hundred rows in flight cost one commit instead of a hundred, and no two writers fight
/// over SQLite's write lock.
/// </summary>
/// <param name="explain">Turns a failure into what the callers get (a full disk into its sentence).</param>
internal sealed class LedgerWriter(DatabaseEngine engine, string connectionString, ResiliencePipeline retry, Func<Exception, Exception> explain)
{
    // Large enough to carry a busy run's writes in one commit, small enough to keep one transaction short.
    private const int MaxBatch = 512;

    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, DbType Type)[]> ParameterProperties = new();

    private readonly ConcurrentQueue<PendingWrite> queue = new();
    private int draining;
    private DbConnection? connection;

    /// <summary>Queues one statement and completes with its affected row count once it is committed.</summary>
    public Task<int> ExecuteAsync(string sql, object parameters, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Checked here, on the caller's side, so a parameter the writer cannot bind fails its own write, not a batch.
        ParameterTypes(parameters.GetType());
        var write = new PendingWrite(sql, parameters);
        queue.Enqueue(write);
        if (Interlocked.CompareExchange(ref draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        // A caller that gives up stops waiting; its write may still commit, as a cancelled command may.
        return ct.CanBeCanceled ? write.Completion.Task.WaitAsync(ct) : write.Completion.Task;
    }

    private async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                var batch = new List<PendingWrite>(Math.Min(queue.Count, MaxBatch));
                while (batch.Count < MaxBatch && queue.TryDequeue(out var write))
                {
                    batch.Add(write);
                }

                if (batch.Count > 0)
                {
                    await CommitAsync(batch);
                    continue;
                }

                await CloseAsync();
                Volatile.Write(ref draining, 0);
                // A write queued after the queue looked empty, but before the flag dropped, found a drain
                // running and started none: take it over unless its own drain already has.
                if (queue.IsEmpty || Interlocked.CompareExchange(ref draining, 1, 0) != 0)
                {
                    return;
                }
            }
        }
#pragma warning disable CA1031 // the drain must never die with callers waiting on it
        catch (Exception e)
#pragma warning restore CA1031
        {
            var failure = explain(e);
            while (queue.TryDequeue(out var write))
            {
                write.Completion.TrySetException(failure);
            }

            await CloseAsync();
            Volatile.Write(ref draining, 0);
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        try
        {
            var affected = await retry.ExecuteAsync(async token => await RunInTransactionAsync(batch, token), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(affected[i]);
            }
        }
        catch (Exception e) when (batch.Count > 1 && !engine.IsTransient(e) && DatabaseProblem.Of(e) is null)
        {
            // One statement is at fault (a constraint, a value too long): run each alone, so that only
            // its own caller sees the error.
            foreach (var write in batch)
            {
                await CommitAsync([write]);
            }
        }
#pragma warning disable CA1031 // handed to the callers, who decide what it means
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A full disk or a read-only file fails every write alike: each caller gets the sentence at once.
            var failure = explain(e);
            foreach (var write in batch)
            {
                write.Completion.TrySetException(failure);
            }
        }
    }

    /// <summary>
    /// Runs the batch in one transaction. If anything fails the transaction is rolled back and the whole
    /// batch is run again on a fresh connection: every statement is conditional on the entry's state, so
    /// running it twice cannot move an entry twice.
    /// </summary>
    private async Task<int[]> RunInTransactionAsync(List<PendingWrite> batch, CancellationToken ct)
    {
        try
        {
            connection ??= await engine.OpenAsync(connectionString, ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var affected = connection.CanCreateBatch
                ? await RunAsBatchAsync(connection, transaction, batch, ct)
                : await RunOneByOneAsync(connection, transaction, batch, ct);
            await transaction.CommitAsync(ct);
            return affected;
        }
        catch
        {
            await CloseAsync();
            throw;
        }
    }

    /// <summary>One round trip for the whole batch where the driver supports it (PostgreSQL, SQL Server).</summary>
    private static async Task<int[]> RunAsBatchAsync(DbConnection connection, DbTransaction transaction, List<PendingWrite> batch, CancellationToken ct)
    {
        await using var dbBatch = connection.CreateBatch();
        dbBatch.Transaction = transaction;
        foreach (var write in batch)
        {
            var command = dbBatch.CreateBatchCommand();
            command.CommandText = write.Sql;
            foreach (var (name, value, type) in Parameters(write.Parameters))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.DbType = type;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            dbBatch.BatchCommands.Add(command);
        }

        await dbBatch.ExecuteNonQueryAsync(ct);
        return [.. dbBatch.BatchCommands.Select(c => c.RecordsAffected)];
    }

    /// <summary>In-process engines (SQLite): one prepared command per statement text, rebound for each write.</summary>
    private static async Task<int[]> RunOneByOneAsync(DbConnection connection, DbTransaction transaction, List<PendingWrite> batch, CancellationToken ct)
    {
        var commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        try
        {
            var affected = new int[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var write = batch[i];
                if (!commands.TryGetValue(write.Sql, out var command))
                {
                    command = connection.CreateCommand();
                    command.CommandText = write.Sql;
                    command.Transaction = transaction;
                    commands[write.Sql] = command;
                }

                command.Parameters.Clear();
                foreach (var (name, value, type) in Parameters(write.Parameters))
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.DbType = type;
                    parameter.Value = value ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                affected[i] = await command.ExecuteNonQueryAsync(ct);
            }

            return affected;
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>The statement's parameters from the same anonymous objects the Dapper calls take.</summary>
    private static IEnumerable<(string Name, object? Value, DbType Type)> Parameters(object parameters)
    {
        foreach (var (property, type) in ParameterTypes(parameters.GetType()))
        {
            yield return ("@" + property.Name, property.GetValue(parameters), type);
        }
    }

    /// <summary>
    /// The database type of each parameter: only the types the ledger's statements take. Anything else
    /// would reach the database as its ToString() and be compared as text, so it is refused, not guessed.
    /// </summary>
    /// <exception cref="NotSupportedException">A parameter of another type, named with its type.</exception>
    internal static (PropertyInfo Property, DbType Type)[] ParameterTypes(Type parameters) =>
        ParameterProperties.GetOrAdd(parameters, t => [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p =>
        {
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var dbType = type == typeof(long) ? DbType.Int64
                : type == typeof(int) ? DbType.Int32
                : type == typeof(double) ? DbType.Double
                : type == typeof(string) ? DbType.String
                : throw new NotSupportedException(
                    $"Ledger write parameter @{p.Name} is of type {p.PropertyType}; the group-commit writer binds only string, int, long and double.");
            return (p, dbType);
        })]);

    private async Task CloseAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    private sealed class PendingWrite(string sql, object parameters)
    {
        public string Sql => sql;

        public object Parameters => parameters;

        // Callers continue on the thread pool, not on the writer's thread, so the next batch starts at once.
        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
