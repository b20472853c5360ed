using System.Diagnostics;
using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.Sources;
using Spectre.Console;

namespace BatchVideo.Cli;

/// <summary>
/// What a run or validation shows while it works: a live table on a terminal, plain key=value
/// progress lines when output is redirected, nothing when quiet; then the same plain summary either way.
/// </summary>
internal sealed class RunConsole(Verbosity verbosity)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>True when progress is a live table: a terminal, normal verbosity (detailed logs would tear it).</summary>
    public bool IsInteractive { get; } = verbosity == Verbosity.Normal && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public Verbosity Verbosity => verbosity;

    public void Note(string text)
    {
        if (verbosity != Verbosity.Quiet)
        {
            Console.WriteLine(ConsoleText.Inert(text));
        }
    }

    /// <summary>One line on standard error, inert (a value in it cannot act on the terminal or forge a line).</summary>
    public static void FatalLine(string text) => Console.Error.WriteLine(ConsoleText.Inert(text));

    /// <param name="nothingSent">False when the problem may come mid-run (a full disk): the headline says what was kept instead.</param>
    public static void Fatal(string headline, IEnumerable<string> details, bool nothingSent = true)
    {
        FatalLine("error: " + headline);
        foreach (var detail in details)
        {
            FatalLine("  - " + detail);
        }

        if (nothingSent)
        {
            FatalLine("Nothing was sent to HeyGen.");
        }
    }

    /// <summary>
    /// Shows progress until <paramref name="work"/> ends; the ETA's total comes from the source's own read (<see cref="ISourceSize"/>).
    /// The rate is of rows finished: read for a validation, at their end (done, rejected, failed) for a run.
    /// </summary>
    public async Task<RunSummary> ShowProgressAsync(RunProgress progress, IRecipientSource source, bool validating, Task<RunSummary> work, bool noWait = false)
    {
        if (verbosity == Verbosity.Quiet)
        {
            return await work;
        }

        var rate = new RowRate(validating
            ? p => p.Read
            : p => p.Rejected + p.AlreadyDone + p.Failed + p.ToResume + (noWait ? p.Submitted + p.WouldSubmit : p.Completed));
        if (IsInteractive)
        {
            await AnsiConsole.Live(Render(progress, validating, rate, null)).AutoClear(false).StartAsync(async live =>
            {
                while (!work.IsCompleted)
                {
                    live.UpdateTarget(Render(progress, validating, rate, Known(source)));
                    await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System));
                }

                live.UpdateTarget(Render(progress, validating, rate, Known(source)));
            });
            return await work;
        }

        while (await Task.WhenAny(work, Task.Delay(PlainInterval, TimeProvider.System)) != work)
        {
            Console.WriteLine(PlainLine(progress, validating, rate, Known(source)));
        }

        return await work;
    }

    public static void PrintSummary(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var lines = new List<string>();
        if (summary.DryRun)
        {
            lines.Add($"Dry run of campaign {summary.Campaign}: {summary.Source}");
            lines.Add("  Nothing was created, claimed in the ledger or written back.");
        }
        else
        {
            lines.Add($"Campaign {summary.Campaign}: {summary.Source}");
        }

        lines.Add(Count("rows read", summary.Read));
        lines.Add(Count("rejected", summary.Rejected));
        lines.Add(Count("already done", summary.AlreadyDone));
        AddIfAny(lines, "elsewhere", summary.InProgressElsewhere, "(in progress elsewhere: another worker holds them)");
        if (summary.DryRun)
        {
            AddIfAny(lines, "still rendering", summary.Rendering, "(from an earlier run; a real run follows them)");
            AddIfAny(lines, "failed earlier", summary.Failed, "");
            lines.Add(Count("would submit", summary.WouldSubmit));
            AddEstimate(lines, summary.Estimate);
        }
        else
        {
            lines.Add(Count("submitted", summary.Submitted));
            AddEstimate(lines, summary.Estimate);
            lines.Add(Count("completed", summary.Completed));
            lines.Add(Count("failed", summary.Failed));
            AddUnknown(lines, summary);
            AddIfAny(lines, "to resume", summary.ToResume, "");
            AddIfAny(lines, "still rendering", summary.Rendering, "(run again to follow them and write them back)");
            AddIfAny(lines, "not sent", summary.NotSent, "(the run stopped before sending them; they stay pending and a rerun sends them)");
        }

        lines.Add($"  {"elapsed",-18}{summary.Elapsed.TotalSeconds.ToString("0.0", Invariant),8} s");
        if (summary.Problems.Count > 0)
        {
            lines.Add("Rows that need attention:");
            lines.AddRange(summary.Problems.Select(p => "  " + Describe(p)));
        }

        if (summary.WrittenTo is not null)
        {
            lines.Add($"Results written to {summary.WrittenTo}");
        }

        if (summary.PageLinksWritten)
        {
            lines.Add($"Page links were written: HeyGen does not say whether they play without a HeyGen login. Before sending them, run: {NextCommand.For("links check", "--campaign", summary.Campaign)}");
            lines.Add("  If they ask for one, use 'UrlField: signed' (with 'batchvideo refresh') or 'UrlField: download'.");
        }

        if (summary.StoppedBecause is not null)
        {
            lines.Add($"Stopped: {summary.StoppedBecause}");
        }

        AddReports(lines, summary, "run");
        if (summary.Sample is { } sample)
        {
            lines.Add($"Sample: {sample.Rows} row(s) created{(summary.Rendering > 0 ? "" : " and finished")}; watch them on the review page.");
            // Each next step on a line of its own, as it is pasted (NextCommand carries --sandbox, --config).
            lines.Add(sample.AwaitingApproval ? "  Nothing more is sent until it is approved. Next, after watching them:" : "  Next:");
            if (sample.AwaitingApproval)
            {
                lines.Add("    " + NextCommand.For("approve", "--campaign", summary.Campaign));
            }

            lines.Add("    " + NextCommand.Again("--sample", "--sample-keys"));
        }

        WriteLines(lines);
        if (summary.ExitCode != ExitCodes.Success)
        {
            Console.Error.WriteLine(summary.ExitCode == ExitCodes.Usage
                ? "Exit 2: the configuration was refused before any video was created."
                : "Exit 1: some rows need attention (listed above).");
        }
    }

    /// <summary>The end of a validation: problems (read back from where they streamed), pre-flight, counts, estimate.</summary>
    public static void PrintValidation(RunSummary summary, IEnumerable<RowProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(problems);
        var lines = new List<string>
        {
            $"Validated campaign {summary.Campaign}: {summary.Source}",
            summary.Preflight?.StartsWith("skipped", StringComparison.Ordinal) == true
                ? "  Nothing was sent to HeyGen; no ledger entry or source row was written."
                : "  Nothing was sent to HeyGen but the pre-flight check; no ledger entry or source row was written.",
        };
        var header = false;
        foreach (var problem in problems)
        {
            if (!header)
            {
                lines.Add("Problems:");
                header = true;
            }

            lines.Add("  " + Describe(problem));
        }

        lines.Add($"Pre-flight: {summary.Preflight}");
        lines.Add(Count("rows read", summary.Read));
        lines.Add(Count("ok", summary.Read - summary.Rejected));
        lines.Add(Count("rejected", summary.Rejected));
        lines.Add(Count("already done", summary.AlreadyDone));
        AddIfAny(lines, "elsewhere", summary.InProgressElsewhere, "(in progress elsewhere: another worker holds them)");
        AddIfAny(lines, "still rendering", summary.Rendering, "(from an earlier run; a run follows them)");
        AddIfAny(lines, "failed earlier", summary.Failed, "(sent again only with run --retry-failed)");
        AddUnknown(lines, summary);
        lines.Add(Count("to submit", summary.WouldSubmit));
        AddEstimate(lines, summary.Estimate);
        lines.Add($"  {"elapsed",-18}{summary.Elapsed.TotalSeconds.ToString("0.0", Invariant),8} s");
        AddReports(lines, summary, "validate");
        WriteLines(lines);
        Console.Error.WriteLine(summary.ExitCode switch
        {
            ExitCodes.Success => $"Exit 0: every row is ready. '{NextCommand.For("preview", "--csv", summary.Source)}' shows what would be sent; '{NextCommand.For("run", "--csv", summary.Source)}' sends it.",
            ExitCodes.Usage => "Exit 2: HeyGen refused the configuration (see Pre-flight); a run would stop before any create.",
            _ => $"Exit 1: {summary.Rejected + summary.Failed} row(s) need attention (listed above); a run would skip them.",
        });
    }

    /// <summary>"line 8, key C-1007, column first_name: rejected: …".</summary>
    public static string Describe(RowProblem p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return $"line {p.Line}{(p.Key is null ? "" : $", key {p.Key}")}{(p.Column is null ? "" : $", column {p.Column}")}: {p.Outcome.Name()}: {p.Reason}";
    }

    private static void AddReports(List<string> lines, RunSummary summary, string command)
    {
        if (summary.ReportPath is not null)
        {
            lines.Add($"Report: {summary.ReportPath}");
        }
        else if (summary.ReportProblem is not null)
        {
            lines.Add($"Report not written: {summary.ReportProblem}");
        }

        if (summary.ReviewPagePath is not null)
        {
            lines.Add($"Review page: {summary.ReviewPagePath}");
        }

        if (summary.RejectsPath is not null)
        {
            lines.Add($"Rows to fix: {summary.RejectsPath}");
            lines.Add($"  {summary.RejectsWritten} row(s) with their columns as read, plus reject_line and reject_reason.");
            lines.Add($"  Fix them in that file, then: {NextCommand.For(command, "--csv", summary.RejectsPath)}");
        }
    }

    private static void AddEstimate(List<string> lines, VideoEstimate? estimate)
    {
        if (estimate is null)
        {
            return;
        }

        lines.Add($"  {"est. minutes",-18}{estimate.Minutes.ToString("0.0", Invariant),8}   ({estimate.Words.ToString("N0", Invariant)} words at {estimate.WordsPerMinute.ToString("0.#", Invariant)} words/min{(estimate.Characters > 0 ? $", {estimate.Characters.ToString("N0", Invariant)} characters of Japanese/Chinese/Thai at their rate" : "")})");
        lines.Add($"  {Spend.Label,-18}{Spend.Amount(estimate),8}   (for {estimate.Videos.ToString("N0", Invariant)} videos at {Spend.Rate(estimate)}; {Spend.Caveat}{Spend.Assumed(estimate)})");
    }

    private static void AddIfAny(List<string> lines, string label, long value, string note)
    {
        if (value > 0)
        {
            lines.Add((Count(label, value) + "   " + note).TrimEnd());
        }
    }

    /// <summary>Rows whose create may have made a video: counted among the failed, with the one thing to do.</summary>
    private static void AddUnknown(List<string> lines, RunSummary summary)
    {
        if (summary.OutcomeUnknown > 0)
        {
            lines.Add(Count("outcome unknown", summary.OutcomeUnknown) + "   (of the failed: may have made a video; not sent again)");
            lines.Add("    To settle them: " + UnknownOutcome.WhatToDo + ".");
        }
    }

    private static string Count(string label, long value) => $"  {label,-18}{value.ToString(Invariant),8}";

    private static void WriteLines(List<string> lines)
    {
        // Each line is ours and holds no line break: whatever control character is in one came with a value.
        foreach (var line in lines)
        {
            Console.WriteLine(ConsoleText.Inert(line));
        }
    }

    /// <summary>The rows the source's read gives, from the read's own progress (no counting pass of its own).</summary>
    private static long? Known(IRecipientSource source) => source is ISourceSize size ? size.TotalRows() : null;

    private static string PlainLine(RunProgress p, bool validating, RowRate rate, long? total)
    {
        var (perSecond, eta) = rate.Sample(p, total);
        var at = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Invariant);
        var read = total is null ? $"{p.Read}" : $"{p.Read}/{total}";
        var stages = validating
            ? $"read={read} rejected={p.Rejected} already_done={p.AlreadyDone} to_submit={p.WouldSubmit}"
            : $"read={read} rejected={p.Rejected} already_done={p.AlreadyDone} {Sent(p)} rendering={p.Rendering} completed={p.Completed} failed={p.Failed}";
        var slots = p.Slots is { } s && !validating ? FormattableString.Invariant($" slots={s.InUse}/{s.EffectiveCap} waiting={s.Waiting}") : "";
        return FormattableString.Invariant($"{at} progress {stages}{slots} rate={perSecond:0.0}/s eta={EtaText(p.RenderEta(total) ?? eta)}");
    }

    /// <summary>The run's sent rows, or a dry run's would-be ones under their own name once it has counted some.</summary>
    private static string Sent(RunProgress p) => p.WouldSubmit > 0 ? $"would_submit={p.WouldSubmit}" : $"submitted={p.Submitted}";

    private static string EtaText(TimeSpan? eta) => eta is { } left ? left.ToString(@"hh\:mm\:ss", Invariant) : "unknown";

    private static Table Render(RunProgress p, bool validating, RowRate rate, long? total)
    {
        var (perSecond, eta) = rate.Sample(p, total);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("stage").AddColumn(new TableColumn("rows").RightAligned());
        table.AddRow("read", N(p.Read) + (total is null ? "" : " of " + N(total.Value)));
        table.AddRow("[yellow]rejected[/]", N(p.Rejected));
        table.AddRow("already done", N(p.AlreadyDone));
        if (validating)
        {
            table.AddRow("[green]to submit[/]", N(p.WouldSubmit));
        }
        else
        {
            table.AddRow(p.WouldSubmit > 0 ? "would submit" : "submitted", N(p.Submitted + p.WouldSubmit));
            table.AddRow("rendering", N(p.Rendering));
            table.AddRow("[green]completed[/]", N(p.Completed));
            table.AddRow("[red]failed[/]", N(p.Failed));
            if (p.Slots is { } slots)
            {
                // Slots are the account's concurrent-job cap: the cap shown is the one in use after refusals.
                table.AddRow("render slots in use", FormattableString.Invariant($"{slots.InUse} / {slots.EffectiveCap}"));
                table.AddRow("waiting for a slot", N(slots.Waiting));
            }
        }

        table.AddEmptyRow();
        table.AddRow("rate", FormattableString.Invariant($"{perSecond:0.0} rows/s"));
        table.AddRow("ETA", EtaText(validating ? eta : p.RenderEta(total) ?? eta));
        return table;

        static string N(long value) => value.ToString("N0", Invariant);
    }

    /// <summary>Rows finished per second over the last ten seconds, and the time the rest would take at that pace.</summary>
    private sealed class RowRate(Func<RunProgress, long> finished)
    {
        private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
        private readonly Queue<(long At, long Rows)> samples = new();

        public (double PerSecond, TimeSpan? Eta) Sample(RunProgress progress, long? total)
        {
            var rows = finished(progress);
            var now = Stopwatch.GetTimestamp();
            samples.Enqueue((now, rows));
            while (samples.Count > 2 && Stopwatch.GetElapsedTime(samples.Peek().At, now) > Window)
            {
                samples.Dequeue();
            }

            var (firstAt, firstRows) = samples.Peek();
            var seconds = Stopwatch.GetElapsedTime(firstAt, now).TotalSeconds;
            var perSecond = seconds > 0 ? (rows - firstRows) / seconds : 0;
            TimeSpan? eta = total is { } all && all > rows && perSecond > 0
                ? TimeSpan.FromSeconds(Math.Min((all - rows) / perSecond, TimeSpan.FromDays(9).TotalSeconds))
                : null;
            return (perSecond, eta);
        }
    }
}
