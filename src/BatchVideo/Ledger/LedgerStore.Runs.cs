using Dapper;

namespace BatchVideo.Ledger;

/// <summary>Each run's start and counts, for <c>status</c> and the in-memory store's missed-run catch-up.</summary>
public sealed partial class LedgerStore
{
    public Task<bool> RecordRunStartedAsync(string runId, string campaign, string holder, CancellationToken ct) =>
        UpdateAsync(dialect.RecordRunStarted, new { RunId = runId, Campaign = campaign, Holder = holder, Now = Now() }, ct);

    public Task<bool> RecordRunFinishedAsync(string runId, RunCounts counts, CancellationToken ct) =>
        UpdateAsync(
            dialect.RecordRunFinished,
            new { RunId = runId, Now = Now(), counts.Read, counts.Rejected, counts.Submitted, counts.Completed, counts.Failed, counts.StoppedBecause },
            ct);

    public async Task<RunRecord?> LastRunAsync(string campaign, CancellationToken ct)
    {
        var rows = await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<RunRecord>(new CommandDefinition(dialect.SelectLastRun, new { Campaign = campaign }, cancellationToken: token)),
            ct);
        return rows.FirstOrDefault();
    }
}

/// <summary>What a run did, recorded when it ends.</summary>
public sealed record RunCounts(long Read, long Rejected, long Submitted, long Completed, long Failed, string? StoppedBecause);

/// <summary>One recorded run of a campaign (times in Unix milliseconds; counts null while running).</summary>
public sealed class RunRecord
{
    public string RunId { get; set; } = "";

    public string Campaign { get; set; } = "";

    public string Holder { get; set; } = "";

    public long StartedAt { get; set; }

    public long? FinishedAt { get; set; }

    public long? ReadRows { get; set; }

    public long? Rejected { get; set; }

    public long? Submitted { get; set; }

    public long? Completed { get; set; }

    public long? Failed { get; set; }

    public string? StoppedBecause { get; set; }
}
