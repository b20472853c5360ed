using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using BatchVideo.Reports;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo reports</c>: per campaign, the latest report, review page and rows to fix; <c>--open</c> shows the page.</summary>
internal static class ReportsCommand
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var campaign = new Option<string?>("--campaign") { Description = "Only this campaign (default: every campaign with reports)." };
        var open = new Option<bool>("--open") { Description = "Open the latest review page (of --campaign, else the newest of all) in the browser." };
        var command = new Command("reports", "Name the latest report and review page of each campaign.") { config, campaign, open };
        command.SetAction((parse, ct) => CommandOptions.GuardAsync(() => Task.FromResult(Show(parse.GetValue(config), parse.GetValue(campaign), parse.GetValue(open)))));
        return command;
    }

    private static int Show(string? configPath, string? campaign, bool open)
    {
        // The folder as every command resolves it (Reports:Folder, relative to the configuration's folder).
        CliConfiguration.Load(configPath, new Dictionary<string, string?>());
        var folder = CrashLog.Folder;
        var all = ReportIndex.Read(folder);
        var shown = campaign is null ? all : [.. all.Where(c => string.Equals(c.Campaign, ReportWriter.SafeName(campaign), StringComparison.OrdinalIgnoreCase))];
        if (shown.Count == 0)
        {
            Console.WriteLine(campaign is null
                ? $"No reports in {folder} yet: 'batchvideo validate' and 'batchvideo run' write them there."
                : $"No reports of campaign {campaign} in {folder} yet.");
            return ExitCodes.Success;
        }

        Console.WriteLine($"Reports in {folder}, each campaign's latest (campaigns by name):");
        foreach (var c in shown)
        {
            var latest = c.Latest;
            Console.WriteLine();
            Console.WriteLine($"{c.Campaign}  ({c.Runs} {(c.Runs == 1 ? "command" : "commands")} reported; latest: {latest.Command}, {Time(latest.StartedAt)})");
            Line("report", latest.Report);
            Line("rows to fix", latest.RowsToFix);
            Line("review page", c.LatestWithReviewPage?.ReviewPage, c.LatestWithReviewPage is { } page && page != latest ? $"  (of the {page.Command} at {Time(page.StartedAt)})" : "");
        }

        if (!open)
        {
            return ExitCodes.Success;
        }

        var newest = shown.Select(c => c.LatestWithReviewPage).Where(s => s is not null).MaxBy(s => s!.StartedAt);
        if (newest?.ReviewPage is not { } target)
        {
            RunConsole.FatalLine("No review page to open yet: a run or a dry run writes one.");
            return ExitCodes.Usage;
        }

        return Open(target);
    }

    private static void Line(string label, string? path, string note = "")
    {
        if (path is not null)
        {
            Console.WriteLine($"  {label,-12} {path}{note}");
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>Hands the page to the desktop's opener; where there is none (a server, a container), says so and how to look at it.</summary>
    private static int Open(string page)
    {
        var opener = OperatingSystem.IsWindows() ? null : OperatingSystem.IsMacOS() ? "open" : FindOnPath("xdg-open");
        if (!OperatingSystem.IsWindows() && (opener is null || (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("DISPLAY") is null && Environment.GetEnvironmentVariable("WAYLAND_DISPLAY") is null)))
        {
            Console.WriteLine($"No browser here to open it with; copy {page} to a machine with one, or see it under /campaigns/<name>/review of 'batchvideo serve'.");
            return ExitCodes.Success;
        }

        using var process = Process.Start(opener is null ? new ProcessStartInfo(page) { UseShellExecute = true } : new ProcessStartInfo(opener, [page]));
        Console.WriteLine($"Opened {page}");
        return ExitCodes.Success;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
