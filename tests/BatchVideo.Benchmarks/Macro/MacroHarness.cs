using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>Parses the macro verb's arguments, runs the chosen scenarios and prints every figure.</summary>
internal static class MacroHarness
{
    public const string Usage = """
        usage:
          BatchVideo.Benchmarks micro [BenchmarkDotNet arguments, e.g. --filter * --job short]
          BatchVideo.Benchmarks macro [pipeline] [http] [ratelimit] [memory] [ledger] [cli-memory] [slots] [slots-done] [outage] [pages-memory] [all]
                [--rows 50000] [--concurrency 64] [--poll-ms 50] [--rates 50,200]
                [--slot-rows 200] [--speed-up 20] [--peers true] [--done-speed-up 1]
                [--memory-rows 100000,1000000] [--ledger-rows 20000]
                [--cli "validate --csv {csv} --config {config}"]... [--json <file>]
                [--outage-rows 300] [--outage-seconds 20] [--pages-rows 100000]
        slots: a batch under a 10-job cap with 20-40 s renders, one at a time, three at a time and BatchVideo,
        on a clock sped up --speed-up times; slots-done: 60 rows, 30 s renders, Retry-After 5 (issue 11's
        closing case) on a clock sped up --done-speed-up times; outage: a batch with HeyGen unreachable for
        --outage-seconds mid-run against the same batch without (issue 28); pages-memory: peak RSS and allocations of one CSV
        write-back with every page column over a ledger of --pages-rows videos with pages, a tenth viewed (issue 25).
        Without a scenario, all but these four run. --cli (repeatable) names a batchvideo command whose peak memory is
        measured over the memory scenario's files; {csv} and {config} are filled in.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = MacroOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

#if DEBUG
        Console.WriteLine("warning: this is a Debug build; figures are for Release (dotnet run -c Release ...).");
#endif
        var table = new FigureTable();
        var clock = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var ct = cancel.Token;
        var settings = new PipelineSettings { MaxConcurrency = options.Concurrency, PollInterval = TimeSpan.FromMilliseconds(options.PollMilliseconds) };
        foreach (var scenario in options.Scenarios)
        {
            Console.WriteLine($"== {scenario}");
            switch (scenario)
            {
                case "pipeline":
                    table.AddRange(await PipelineScenario.RunAsync(options.Rows, settings, ct));
                    break;
                case "ratelimit":
                    foreach (var rate in options.Rates)
                    {
                        table.AddRange(await RateLimitScenario.RunAsync(rate, settings, ct));
                    }

                    break;
                case "http":
                    table.AddRange(await HttpScenario.RunAsync(options.Rows, settings, ct));
                    break;
                case "memory":
                    table.AddRange(await MemoryScenario.RunAsync(options.MemoryRows, ct));
                    break;
                case "ledger":
                    table.AddRange(await LedgerScenario.RunAsync(options.LedgerRows, ct));
                    break;
                case "slots":
                    table.AddRange(await SlotsScenario.RunAsync(options.SlotRows, options.SpeedUp, options.Peers, ct));
                    break;
                case "slots-done":
                    table.AddRange(await SlotsScenario.RunDoneWhenAsync(options.DoneSpeedUp, ct));
                    break;
                case "outage":
                    table.AddRange(await OutageScenario.RunAsync(options.OutageRows, TimeSpan.FromSeconds(options.OutageSeconds), settings, ct));
                    break;
                case "pages-memory":
                    table.AddRange(await PagesMemoryScenario.RunAsync(options.PagesRows, ct));
                    break;
                case "cli-memory":
                    table.AddRange(await CliMemoryScenario.RunAsync(options.MemoryRows, options.CliCommands, ct));
                    break;
                default:
                    Console.Error.WriteLine($"unknown scenario '{scenario}'.\n{Usage}");
                    return 2;
            }
        }

        var context = new Dictionary<string, string>
        {
            ["date_utc"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["machine"] = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}",
            ["runtime"] = RuntimeInformation.FrameworkDescription,
#if DEBUG
            ["configuration"] = "Debug",
#else
            ["configuration"] = "Release",
#endif
            ["arguments"] = string.Join(' ', args),
            ["elapsed_s"] = clock.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
        };
        Console.WriteLine();
        Console.WriteLine(table.ToTable());
        var json = table.ToJson(context);
        Console.WriteLine();
        Console.WriteLine(json);
        var path = Path.GetFullPath(options.JsonPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, json, ct);
        Console.WriteLine($"JSON written to {path}");
        return table.Figures.Any(f => f.Pass == false) ? 1 : 0;
    }

    private sealed record MacroOptions(
        IReadOnlyList<string> Scenarios,
        int Rows,
        int Concurrency,
        int PollMilliseconds,
        IReadOnlyList<double> Rates,
        IReadOnlyList<int> MemoryRows,
        int LedgerRows,
        IReadOnlyList<string> CliCommands,
        string JsonPath,
        int SlotRows,
        double SpeedUp,
        bool Peers,
        double DoneSpeedUp,
        int OutageRows,
        double OutageSeconds,
        IReadOnlyList<int> PagesRows)
    {
        private static readonly string[] All = ["pipeline", "http", "ratelimit", "memory", "ledger", "cli-memory"];

        public static MacroOptions? Parse(string[] args)
        {
            var scenarios = new List<string>();
            var cli = new List<string>();
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    if (i + 1 >= args.Length)
                    {
                        return null;
                    }

                    if (args[i] == "--cli")
                    {
                        cli.Add(args[++i]);
                    }
                    else
                    {
                        values[args[i]] = args[++i];
                    }
                }
                else if (args[i] == "all")
                {
                    scenarios.AddRange(All);
                }
                else
                {
                    scenarios.Add(args[i]);
                }
            }

            double Double(string name, double fallback) => values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
            int Int(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
            List<T> List<T>(string name, string fallback, Func<string, T> parse) =>
                [.. (values.GetValueOrDefault(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse)];

            return new MacroOptions(
                scenarios.Count == 0 ? All : scenarios.Distinct().ToList(),
                Int("--rows", 50_000),
                Int("--concurrency", 64),
                Int("--poll-ms", 50),
                List("--rates", "50,200", t => double.Parse(t, CultureInfo.InvariantCulture)),
                List("--memory-rows", "100000,1000000", t => int.Parse(t, CultureInfo.InvariantCulture)),
                Int("--ledger-rows", 20_000),
                cli.Count == 0 ? CliMemoryScenario.DefaultCommands : cli,
                values.GetValueOrDefault("--json") ?? Path.Combine("BenchmarkDotNet.Artifacts", "macro", "macro-results.json"),
                Int("--slot-rows", 200),
                Double("--speed-up", 20),
                !values.TryGetValue("--peers", out var peers) || bool.Parse(peers),
                Double("--done-speed-up", 1),
                Int("--outage-rows", 300),
                Double("--outage-seconds", 20),
                List("--pages-rows", "100000", t => int.Parse(t, CultureInfo.InvariantCulture)));
        }
    }
}
