using System.Globalization;
using BatchVideo.Benchmarks.Macro;
using BatchVideo.Benchmarks.Micro;

// batchvideo benchmarks: "micro" runs BenchmarkDotNet, "macro" whole runs against the sandbox.
// Run from an optimized build: dotnet run -c Release --project tests/BatchVideo.Benchmarks -- macro
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(MacroHarness.Usage);
    return 0;
}

return args[0] switch
{
    "micro" => MicroBenchmarks.Run(args[1..]),
    "macro" => await MacroHarness.RunAsync(args[1..]),
    MemoryScenario.ProbeVerb => await MemoryScenario.ProbeAsync(args[1..]),
    PagesMemoryScenario.ProbeVerb => await PagesMemoryScenario.ProbeAsync(args[1..]),
    _ => Fail($"unknown verb '{args[0]}'.\n{MacroHarness.Usage}"),
};

static int Fail(string message)
{
    Console.Error.WriteLine(message.ToString(CultureInfo.InvariantCulture));
    return 2;
}
