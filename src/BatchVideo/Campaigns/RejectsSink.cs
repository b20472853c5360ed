using BatchVideo.Reports;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Campaigns;

/// <summary>
/// Where the stages that turn a row away put it: counted, logged, and written to the rejects file with its
/// values as read. Handed to the feeders, the submitters and the follower when the run is built, so none of
/// them reaches back into the run for it.
/// </summary>
/// <param name="logger">The runner's: an operator reading <c>--verbose</c> finds rejected rows under the run.</param>
internal sealed partial class RejectsSink(PreparedRun run, RunProgress progress, ReportSession report, ILogger logger, bool writesFailed = true)
{
    /// <summary>A row that cannot be sent (no key, a duplicate, a script that does not render, a refused look): counted rejected and written.</summary>
    public void Rejected(RowProblem problem, SourceRow? row)
    {
        progress.OnRejected(problem);
        Write(problem, row);
    }

    /// <summary>A row counted already (by its verdict, <see cref="VerdictCounts"/>): logged when rejected, and written.</summary>
    public void Write(RowProblem problem, SourceRow? row)
    {
        if (problem.Outcome == RowOutcome.Rejected)
        {
            LogRejected(logger, run.Source.Name, problem.Line, problem.Key, problem.Reason);
        }

        if (row is not null)
        {
            report.Rejects.Add(row, problem);
        }
    }

    /// <summary>
    /// A failed row's line in the rejects file, written when it fails (refused by HeyGen, render failed); none
    /// for the completion pass, which has no rejects file of its own. A video an earlier table run left
    /// rendering has no row at hand: its row is fetched by key (a file run reads every row it follows).
    /// </summary>
    public async Task FailedAsync(string key, SourceRow? row, RowProblem problem)
    {
        if (!writesFailed)
        {
            return;
        }

        try
        {
            if (row is null && run.Source is ITableSource table)
            {
                row = await table.FetchAsync([key], CancellationToken.None) is [var fetched, ..] ? fetched : null;
            }

            if (row is not null)
            {
                report.Rejects.Add(row, problem);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SourceException or System.Data.Common.DbException)
        {
            LogReportFailed(logger, e, run.Campaign);
        }
    }

    // Debug: one line per row; the summary and the rejects file list every rejected row.
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Source} line {Line} (key {Key}) rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string source, long line, string? key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed rows of campaign {Campaign} could not all be added to the rejects file")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string campaign);
}
