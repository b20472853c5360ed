using Dapper;

namespace BatchVideo.Ledger;

/// <summary>
/// Creates whose outcome is unknown: sent to an endpoint not trusted to honour the Idempotency-Key, answer lost.
/// A run never sends them again; the operator looks in HeyGen and records what was found (docs/reconciliation.md).
/// </summary>
public sealed partial class LedgerStore
{
    /// <summary>
    /// Records that the create of a submitting entry may or may not have made a video: failed with
    /// <c>video_status</c> <see cref="LedgerState.OutcomeUnknown"/>, <paramref name="reason"/> naming what finds it.
    /// </summary>
    public Task<bool> MarkOutcomeUnknownAsync(string campaign, string key, string reason, CancellationToken ct) =>
        MarkFailedAsync(campaign, key, LedgerState.OutcomeUnknown, OutcomeUnknownCode, reason, ct);

    /// <summary>The error code of an entry whose create's outcome is unknown.</summary>
    public const string OutcomeUnknownCode = "outcome_unknown";

    /// <summary>The operator found the video: the entry becomes submitted with it and is followed; false when the entry is not unknown.</summary>
    public Task<bool> ResolveUnknownAsFoundAsync(string campaign, string key, string videoId, CancellationToken ct) =>
        WriteAsync(dialect.ResolveUnknownAsFound, new { Campaign = campaign, Key = key, VideoId = videoId, Now = Now() }, ct);

    /// <summary>The operator found no video: the next run sends the row again, as a new attempt; false when the entry is not unknown.</summary>
    public Task<bool> ResolveUnknownAsSendAgainAsync(string campaign, string key, string reason, CancellationToken ct) =>
        WriteAsync(dialect.ResolveUnknownAsSendAgain, new { Campaign = campaign, Key = key, Reason = reason, Now = Now() }, ct);

    /// <summary>The campaign's entries whose create's outcome is unknown, in key order.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> UnknownOutcomesAsync(string campaign, CancellationToken ct) =>
        [.. await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<LedgerEntry>(new CommandDefinition(dialect.SelectUnknownOutcomes, new { Campaign = campaign }, cancellationToken: token)),
            ct)];
}
