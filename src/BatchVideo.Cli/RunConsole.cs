using BatchVideo.Campaigns;
using Spectre.Console;

namespace BatchVideo.Cli;

/// <summary>
/// What a run shows: a live table on a terminal, plain progress lines when output is redirected, and
/// the same plain summary either way.
/// </summary>
internal sealed class RunConsole(bool quiet)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    public bool IsInteractive { get; } = !quiet && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public void Note(string text)
    {
        if (!quiet)
        {
            Console.WriteLine(text);
        }
    }

    public static void FatalLine(string text) => Console.Error.WriteLine(text);

    public static void Fatal(string headline, IEnumerable<string> details)
    {
        FatalLine("error: " + headline);
        foreach (var detail in details)
        {
            FatalLine("  - " + detail);
        }

        FatalLine("Nothing was sent to HeyGen.");
    }

    public async Task<RunSummary> ShowProgressAsync(RunProgress progress, Task<RunSummary> run)
    {
        if (quiet)
        {
            return await run;
        }

        if (IsInteractive)
        {
            await AnsiConsole.Live(Render(progress)).AutoClear(false).StartAsync(async live =>
            {
                while (!run.IsCompleted)
                {
                    live.UpdateTarget(Render(progress));
                    await Task.WhenAny(run, Task.Delay(250));
                }

                live.UpdateTarget(Render(progress));
            });
            return await run;
        }

        while (await Task.WhenAny(run, Task.Delay(PlainInterval)) != run)
        {
            Console.WriteLine(
                $"progress: read {progress.Read}, rejected {progress.Rejected}, already done {progress.AlreadyDone}, submitted {progress.Submitted}, rendering {progress.Rendering}, completed {progress.Completed}, failed {progress.Failed}");
        }

        return await run;
    }

    public static void PrintSummary(RunSummary summary)
    {
        var lines = new List<string>
        {
            $"Campaign {summary.Campaign}: {summary.Source}",
            $"  rows read        {summary.Read,8}",
            $"  rejected         {summary.Rejected,8}",
            $"  already done     {summary.AlreadyDone,8}",
            $"  submitted        {summary.Submitted,8}",
            $"  completed        {summary.Completed,8}",
            $"  failed           {summary.Failed,8}",
        };
        if (summary.Deferred > 0)
        {
            lines.Add($"  to resume        {summary.Deferred,8}");
        }

        if (summary.StillRendering > 0)
        {
            lines.Add($"  still rendering  {summary.StillRendering,8}   (run again to follow them and write them back)");
        }

        lines.Add($"  elapsed          {summary.Elapsed.TotalSeconds,8:0.0} s");
        if (summary.Problems.Count > 0)
        {
            lines.Add("Rows that need attention:");
            lines.AddRange(summary.Problems.Select(p =>
                $"  line {p.Line}{(p.Key is null ? "" : $", key {p.Key}")}{(p.Column is null ? "" : $", column {p.Column}")}: {p.Outcome.ToString().ToLowerInvariant()}: {p.Reason}"));
        }

        if (summary.WrittenTo is not null)
        {
            lines.Add($"Results written to {summary.WrittenTo}");
        }

        if (summary.StoppedBecause is not null)
        {
            lines.Add($"Stopped: {summary.StoppedBecause}");
        }

        var output = summary.ExitCode == 0 ? Console.Out : Console.Error;
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        if (summary.ExitCode != 0)
        {
            output.WriteLine(summary.ExitCode == ExitCodes.Usage
                ? "Exit 2: the configuration was refused before any video was created."
                : "Exit 1: some rows need attention (listed above).");
        }
    }

    private static Table Render(RunProgress progress)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("stage").AddColumn(new TableColumn("rows").RightAligned());
        table.AddRow("read", progress.Read.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[yellow]rejected[/]", progress.Rejected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("already done", progress.AlreadyDone.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("submitted", progress.Submitted.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("rendering", progress.Rendering.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[green]completed[/]", progress.Completed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[red]failed[/]", progress.Failed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return table;
    }
}
