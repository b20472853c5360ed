using BatchVideo.Benchmarks.Macro;
using BatchVideo.Sources;
using BenchmarkDotNet.Attributes;

namespace BatchVideo.Benchmarks.Micro;

/// <summary>Reading a generated CRM export: detection, the UTF-8 check, and every row through CsvHelper.</summary>
[MemoryDiagnoser]
public class CsvParseBenchmark : IDisposable
{
    private const int Rows = 10_000;
    private Workspace? workspace;
    private string csv = "";

    [GlobalSetup]
    public void Setup()
    {
        workspace = new Workspace("micro-csv");
        csv = workspace.WriteContacts(Rows);
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "open + read one row (10,000-row file)")]
    public async Task<int> ReadRows()
    {
        var source = CsvContactSource.Open(csv, "id");
        var count = 0;
        await foreach (var row in source.ReadRowsAsync(CancellationToken.None))
        {
            count += row.Values.Count;
        }

        return count;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        workspace?.Dispose();
        GC.SuppressFinalize(this);
    }
}
