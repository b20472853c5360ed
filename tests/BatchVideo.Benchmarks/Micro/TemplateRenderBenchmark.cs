using BatchVideo.Benchmarks.Macro;
using BatchVideo.Scripts;
using BenchmarkDotNet.Attributes;

namespace BatchVideo.Benchmarks.Micro;

/// <summary>Rendering one row's script and title in Scriban's sandbox, as the run does.</summary>
[MemoryDiagnoser]
public class TemplateRenderBenchmark
{
    private static readonly string[] Columns = ["id", "first_name", "last_name", "email", "company", "city"];
    private static readonly string[] Values = ["C-42", "Amélie", "Durand", "amelie@example.com", "Boulangerie Durand, Inc.", "Lyon"];
    private ScriptRenderer renderer = null!;

    [GlobalSetup]
    public void Setup() =>
        renderer = new ScriptRenderer(ScriptTemplate.Parse(Workspace.Script, "welcome.sbn"), ScriptTemplate.Parse(Workspace.Title, "title"), Columns, []);

    [Benchmark(Description = "script + title of one row")]
    public RenderResult Render() => renderer.Render(Values, "C-42", "welcome");
}
