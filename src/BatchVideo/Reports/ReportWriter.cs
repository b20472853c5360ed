using System.Globalization;
using System.Text.Json;
using BatchVideo.Campaigns;
using BatchVideo.HeyGen;
using Microsoft.Extensions.Options;

namespace BatchVideo.Reports;

/// <summary>Names and writes the reports of each command, in the configured folder.</summary>
public sealed class ReportWriter(IOptions<ReportOptions> options, HeyGenTraffic traffic, TimeProvider time, Notifications.RunNotifier notifier)
{
    /// <summary>Starts the reports of one command over a source with these columns.</summary>
    public ReportSession Begin(string campaign, string command, IReadOnlyList<string> columns)
    {
        var started = time.GetUtcNow();
        var folder = options.Value.Folder;
        var stem = $"{SafeName(campaign)}-{started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{command}";
        var basePath = Path.Combine(folder, stem);
        for (var n = 2; File.Exists(basePath + ".json") || File.Exists(basePath + "-rejects.csv") || File.Exists(basePath + ".html"); n++)
        {
            basePath = Path.Combine(folder, $"{stem}-{n}");
        }

        return new ReportSession(basePath, command, started, columns, traffic, time) { ReviewRowLimit = options.Value.ReviewRows, Notifier = notifier };
    }

    public static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string([.. name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c)]);
    }
}

/// <summary>The reports of one command while it runs: the rejects file fills as rows fail, the JSON comes at the end.</summary>
public sealed class ReportSession : IDisposable
{
    private readonly string basePath;
    private readonly HeyGenTraffic traffic;
    private readonly TimeProvider time;
    private readonly long attemptsAtStart;
    private readonly IReadOnlyDictionary<string, long> outcomesAtStart;
    private readonly Dictionary<(RowOutcome Kind, string Code), (long Count, long FirstLine, string Example)> errors = [];
    private readonly Lock gate = new();

    internal ReportSession(string basePath, string command, DateTimeOffset startedAt, IReadOnlyList<string> columns, HeyGenTraffic traffic, TimeProvider time)
    {
        this.basePath = basePath;
        this.traffic = traffic;
        this.time = time;
        Command = command;
        StartedAt = startedAt;
        Rejects = new RejectsFile(basePath + "-rejects.csv", columns);
        attemptsAtStart = traffic.Attempts;
        outcomesAtStart = traffic.Outcomes;
    }

    public string Command { get; }

    public DateTimeOffset StartedAt { get; }

    public RejectsFile Rejects { get; }

    /// <summary>Announces the run once its reports are written.</summary>
    internal Notifications.RunNotifier? Notifier { get; init; }

    /// <summary>Most rows the review page may list.</summary>
    public int ReviewRowLimit { get; init; } = 5000;

    /// <summary>The rows of the review page, when the command writes one (set before <see cref="CompleteAsync"/>).</summary>
    public IReadOnlyList<ReviewRow>? ReviewRows { get; set; }

    /// <summary>The campaign's page totals for the review page, when it has pages.</summary>
    public Pages.EngagementTotals? PageTotals { get; set; }

    /// <summary>Adds a problem row to its group; only the groups are kept, so memory stays flat.</summary>
    public void Count(RowProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        lock (gate)
        {
            var group = (problem.Outcome, problem.Code);
            errors[group] = errors.TryGetValue(group, out var seen)
                ? (seen.Count + 1, Math.Min(seen.FirstLine, problem.Line), problem.Line < seen.FirstLine ? problem.Reason : seen.Example)
                : (1, problem.Line, problem.Reason);
        }
    }

    /// <summary>
    /// Closes the rejects file, writes the JSON report and the review page, then announces the run (see
    /// <see cref="Notifications.RunNotifier"/>); the summary comes back with the reports' paths. A report
    /// that cannot be written is noted in the summary, never fatal to the run it describes.
    /// </summary>
    public async Task<RunSummary> CompleteAsync(RunSummary summary, CancellationToken ct)
    {
        summary = await WriteReportsAsync(summary, ct);
        if (Notifier is not null)
        {
            await Notifier.NotifyAsync(summary, ct);
        }

        return summary;
    }

    private async Task<RunSummary> WriteReportsAsync(RunSummary summary, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(summary);
        try
        {
            Rejects.Dispose();
            var path = await WriteAsync(summary, ct);
            summary = summary with { ReportPath = path, RejectsPath = Rejects.Path, RejectsWritten = Rejects.Count };
            return ReviewRows is null ? summary : summary with { ReviewPagePath = await WriteReviewPageAsync(summary, ReviewRows, ct) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return summary with { RejectsPath = Rejects.Path, RejectsWritten = Rejects.Count, ReportProblem = e.Message };
        }
    }

    private async Task<string> WriteAsync(RunSummary summary, CancellationToken ct)
    {
        var finished = time.GetUtcNow();
        var sent = traffic.Attempts - attemptsAtStart;
        var outcomes = traffic.Outcomes
            .Select(o => (o.Key, Count: o.Value - outcomesAtStart.GetValueOrDefault(o.Key)))
            .Where(o => o.Count > 0)
            .ToDictionary(o => o.Key, o => o.Count, StringComparer.Ordinal);
        var elapsed = summary.Elapsed.TotalSeconds;
        List<ErrorGroup> groups;
        lock (gate)
        {
            groups =
            [
                .. errors
                    .Select(e => new ErrorGroup(e.Key.Kind.Name(), e.Key.Code, e.Value.Count, e.Value.FirstLine, e.Value.Example))
                    .OrderByDescending(g => g.Count)
                    .ThenBy(g => g.FirstLine),
            ];
        }

        var estimate = summary.Estimate;
        var report = new RunReport
        {
            Command = Command,
            Campaign = summary.Campaign,
            Source = summary.Source,
            StartedAt = StartedAt,
            FinishedAt = finished,
            ExitCode = summary.ExitCode,
            StoppedBecause = summary.StoppedBecause,
            Counts = Counts(summary),
            Timings = new ReportTimings(
                Math.Round(elapsed, 3),
                summary.Timings is { } t ? Math.Round(t.Reading.TotalSeconds, 3) : null,
                summary.Timings?.Submitting is { } submitting ? Math.Round(submitting.TotalSeconds, 3) : null),
            Requests = new ReportRequests(sent, elapsed > 0 ? Math.Round(sent / elapsed, 2) : 0, outcomes),
            Estimate = estimate is null ? null : ReportEstimate.Of(estimate),
            Errors = groups,
            RejectsFile = Rejects.Path,
            RejectsWritten = Rejects.Count,
        };

        var path = basePath + ".json";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        await JsonSerializer.SerializeAsync(file, report, ReportJson.Readable.RunReport, ct);
        return path;
    }

    private async Task<string> WriteReviewPageAsync(RunSummary summary, IReadOnlyList<ReviewRow> rows, CancellationToken ct)
    {
        var path = basePath + ".html";
        var header = new ReviewHeader(summary.Campaign, Command, summary.Source, StartedAt, time.GetUtcNow(), summary.Elapsed, summary.ExitCode, Counts(summary))
        {
            StoppedBecause = summary.StoppedBecause,
            Estimate = summary.Estimate is { } e ? ReportEstimate.Of(e) : null,
            RowsLeftOff = rows.Count < ReviewRowLimit ? 0 : Math.Max(0, summary.Read - rows.Count),
            ReportPath = summary.ReportPath,
            RejectsPath = summary.RejectsPath,
            PageTotals = PageTotals,
        };
        await ReviewPage.WriteAsync(path, header, rows, ct);
        return path;
    }

    public void Dispose() => Rejects.Dispose();

    private static Dictionary<string, long> Counts(RunSummary s) => s.Mode switch
    {
        RunMode.Validate => new()
        {
            ["read"] = s.Read,
            ["ok"] = s.Read - s.Rejected,
            ["rejected"] = s.Rejected,
            ["alreadyDone"] = s.AlreadyDone,
            ["inProgressElsewhere"] = s.InProgressElsewhere,
            ["rendering"] = s.Rendering,
            ["failedEarlier"] = s.Failed,
            ["toSubmit"] = s.WouldSubmit,
        },
        RunMode.DryRun => new()
        {
            ["read"] = s.Read,
            ["rejected"] = s.Rejected,
            ["alreadyDone"] = s.AlreadyDone,
            ["inProgressElsewhere"] = s.InProgressElsewhere,
            ["rendering"] = s.Rendering,
            ["failed"] = s.Failed,
            ["wouldSubmit"] = s.WouldSubmit,
        },
        _ => new()
        {
            ["read"] = s.Read,
            ["rejected"] = s.Rejected,
            ["alreadyDone"] = s.AlreadyDone,
            ["inProgressElsewhere"] = s.InProgressElsewhere,
            ["submitted"] = s.Submitted,
            ["completed"] = s.Completed,
            ["failed"] = s.Failed,
            ["deferred"] = s.ToResume,
            ["stillRendering"] = s.Rendering,
        },
    };
}
