using System.Globalization;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// Peak memory of a real <c>batchvideo</c> command over the memory scenario's files, measured by
/// <c>/usr/bin/time</c> (the kernel's maximum resident set of the process). Point it at any command
/// with <c>--cli "…"</c>; {csv} and {config} are filled in.
/// </summary>
internal static class CliMemoryScenario
{
    /// <summary>validate and run --dry-run read and render every row without sending anything.</summary>
    public static readonly IReadOnlyList<string> DefaultCommands =
    [
        "validate --csv {csv} --config {config}",
        "run --dry-run --csv {csv} --config {config}",
    ];

    public static async Task<IReadOnlyList<Figure>> RunAsync(IReadOnlyList<int> sizes, IReadOnlyList<string> commands, CancellationToken ct)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "batchvideo.dll");
        var figures = new List<Figure>();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero }, 0, ct);
        foreach (var rows in sizes)
        {
            using var workspace = new Workspace($"cli{rows}");
            var csv = workspace.WriteContacts(rows);
            var config = workspace.FilePath("appsettings.json");
            var settings = new JsonObject();
            foreach (var (key, value) in InProcessRun.Configuration(workspace, sandbox.BaseAddress, new PipelineSettings()))
            {
                Set(settings, key.Split(':'), value);
            }

            await File.WriteAllTextAsync(config, settings.ToJsonString(), ct);
            foreach (var command in commands)
            {
                var args = command.Replace("{csv}", csv, StringComparison.Ordinal).Replace("{config}", config, StringComparison.Ordinal)
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = $"batchvideo {command.Split(" --", 2)[0]}, {rows:#,0} rows, peak RSS";
                var (exit, output) = await ChildProcess.RunAsync("/usr/bin/time", ["-f", "maxrss_kb=%M", "dotnet", cli, .. args], workspace.Path, ct);
                var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("maxrss_kb=", StringComparison.Ordinal));
                if (last is null || (exit == 2 && output.Contains("Unrecognized", StringComparison.OrdinalIgnoreCase)))
                {
                    figures.Add(Figure.NotMeasured("cli-memory", name, $"<= {MemoryScenario.GoalPeakMegabytes} MB",
                        $"not available in this build (exit {exit}); the memory scenario measures the same read path in-process"));
                    continue;
                }

                var megabytes = long.Parse(last["maxrss_kb=".Length..], CultureInfo.InvariantCulture) / 1024.0;
                figures.Add(Figure.AtMost("cli-memory", name, megabytes, "MB", MemoryScenario.GoalPeakMegabytes, $"exit {exit}"));
            }
        }

        return figures;
    }

    private static void Set(JsonObject root, string[] path, string? value)
    {
        var node = root;
        foreach (var part in path[..^1])
        {
            node = (JsonObject)(node[part] ??= new JsonObject());
        }

        node[path[^1]] = value;
    }
}
