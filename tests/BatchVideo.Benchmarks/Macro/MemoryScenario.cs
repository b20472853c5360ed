using System.Diagnostics;
using System.Globalization;
using BatchVideo.Scripts;
using BatchVideo.Sources;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// Peak memory of reading and rendering every row of a big CSV the way a dry run and validate do
/// (CsvContactSource, ScriptRenderer, the run's duplicate-key set), each size in a fresh process so
/// the peak is that of the work alone.
/// </summary>
internal static class MemoryScenario
{
    public const string ProbeVerb = "probe-read";
    public const double GoalPeakMegabytes = 200;

    public static async Task<IReadOnlyList<Figure>> RunAsync(IReadOnlyList<int> sizes, CancellationToken ct)
    {
        var figures = new List<Figure>();
        var peaks = new List<(int Rows, double Megabytes)>();
        foreach (var rows in sizes)
        {
            using var workspace = new Workspace($"memory{rows}");
            var csv = workspace.WriteContacts(rows);
            var (exit, output) = await ChildProcess.RunSelfAsync([ProbeVerb, csv, workspace.Template], ct);
            var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => double.Parse(p[1], CultureInfo.InvariantCulture));
            if (exit != 0 || !values.TryGetValue("peak_rss_mb", out var peak))
            {
                figures.Add(Figure.NotMeasured("memory", $"read+render {rows:#,0} rows, peak RSS", $"<= {GoalPeakMegabytes} MB", $"probe failed (exit {exit}): {output}"));
                continue;
            }

            peaks.Add((rows, peak));
            figures.Add(Figure.AtMost("memory", $"read+render {rows:#,0} rows, peak RSS", peak, "MB", GoalPeakMegabytes,
                $"{values.GetValueOrDefault("rows_per_s"):#,0} rows/s, GC heap at end {values.GetValueOrDefault("heap_mb"):0} MB"));
        }

        if (peaks.Count >= 2)
        {
            var (small, large) = (peaks.MinBy(p => p.Rows), peaks.MaxBy(p => p.Rows));
            var perMillion = (large.Megabytes - small.Megabytes) / ((large.Rows - small.Rows) / 1_000_000.0);
            // "Flat": a million more rows may cost at most a tenth of the budget.
            figures.Add(Figure.AtMost("memory", $"growth {small.Rows:#,0} -> {large.Rows:#,0} rows", perMillion, "MB per 1M rows", GoalPeakMegabytes / 10));
        }

        return figures;
    }

    /// <summary>The child process: the dry run's read path over one file, then its own peak RSS.</summary>
    public static async Task<int> ProbeAsync(string[] args)
    {
        var (csv, templatePath) = (args[0], args[1]);
        var clock = Stopwatch.StartNew();
        var source = CsvContactSource.Open(csv, "id");
        var renderer = new ScriptRenderer(ScriptTemplate.Load(templatePath), ScriptTemplate.Parse(Workspace.Title, "title"), source.Columns, []);
        var keyIndex = source.Columns.ToList().IndexOf(source.KeyColumn);
        using var seen = new SeenKeys();
        long rows = 0, rendered = 0, rejected = 0;
        await foreach (var row in source.ReadRowsAsync(CancellationToken.None))
        {
            rows++;
            var key = BatchVideo.Campaigns.RecipientKeys.Normalize(row.Values[keyIndex], null);
            if (row.Problem is not null || key.Length == 0 || !seen.TryAdd(key, row.Line, out _))
            {
                rejected++;
                continue;
            }

            if (renderer.Render(row.Values, key, "welcome").Problem is null)
            {
                rendered++;
            }
            else
            {
                rejected++;
            }
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows={rows}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rendered={rendered}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rejected={rejected}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows_per_s={rows / elapsed:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heap_mb={GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_rss_mb={PeakRss.OfSelfMegabytes():0.0}"));
        return rendered + rejected == rows ? 0 : 1;
    }
}

/// <summary>Peak resident memory, read from /proc (Linux).</summary>
internal static class PeakRss
{
    public static double OfSelfMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }
}

/// <summary>Runs a child process and collects what it prints.</summary>
internal static class ChildProcess
{
    /// <summary>This benchmark program again, with other arguments.</summary>
    public static Task<(int Exit, string Output)> RunSelfAsync(IReadOnlyList<string> args, CancellationToken ct) =>
        RunAsync("dotnet", [typeof(ChildProcess).Assembly.Location, .. args], null, ct);

    public static async Task<(int Exit, string Output)> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
