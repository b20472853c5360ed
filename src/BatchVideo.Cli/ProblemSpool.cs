using System.Text.Json;
using BatchVideo.Campaigns;

namespace BatchVideo.Cli;

/// <summary>
/// Problem rows parked in a temporary file while a validation streams, then read back in order for the
/// summary: every problem is listed, and memory stays flat however many there are.
/// </summary>
internal sealed class ProblemSpool : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"batchvideo-problems-{Guid.NewGuid():N}.jsonl");
    private readonly StreamWriter writer;

    public ProblemSpool() => writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));

    public void Add(RowProblem problem) => writer.WriteLine(JsonSerializer.Serialize(problem));

    public IEnumerable<RowProblem> ReadAll()
    {
        writer.Flush();
        foreach (var line in File.ReadLines(path))
        {
            yield return JsonSerializer.Deserialize<RowProblem>(line)!;
        }
    }

    public void Dispose()
    {
        writer.Dispose();
        File.Delete(path);
    }
}
