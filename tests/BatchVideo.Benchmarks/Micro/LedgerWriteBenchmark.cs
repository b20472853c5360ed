using BatchVideo.Benchmarks.Macro;
using BatchVideo.Ledger;
using BenchmarkDotNet.Attributes;

namespace BatchVideo.Benchmarks.Micro;

/// <summary>
/// The ledger writes of one row (submitting, submitted, completed) on SQLite, with many rows in flight
/// at once as in a run, so concurrent writes can share commits.
/// </summary>
[MemoryDiagnoser]
public class LedgerWriteBenchmark : IDisposable
{
    private const int RowsPerInvoke = 512;
    private Workspace? workspace;
    private LedgerStore ledger = null!;
    private int next;

    [Params(1, 64)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BatchVideoServices.ConfigureDapper();
        workspace = new Workspace("micro-ledger");
        ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={workspace.FilePath("ledger.db")}", TimeProvider.System);
        ledger.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = RowsPerInvoke, Description = "three ledger writes of one row")]
    public Task WriteRows()
    {
        var first = Interlocked.Add(ref next, RowsPerInvoke) - RowsPerInvoke;
        return Parallel.ForEachAsync(Enumerable.Range(first, RowsPerInvoke), new ParallelOptions { MaxDegreeOfParallelism = Callers }, async (i, ct) =>
        {
            var key = "C-" + i;
            await ledger.TryBeginSubmissionAsync("bench", key, "bv-" + i + "-a1", "bv-" + i, ct);
            await ledger.MarkSubmittedAsync("bench", key, "video-" + i, "waiting", ct);
            await ledger.MarkCompletedAsync("bench", key, "https://files.example/" + i, null, ct);
        });
    }

    [GlobalCleanup]
    public void Dispose()
    {
        workspace?.Dispose();
        GC.SuppressFinalize(this);
    }
}
