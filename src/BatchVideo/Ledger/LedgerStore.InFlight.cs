using Dapper;

namespace BatchVideo.Ledger;

/// <summary>What render slots read from the ledger: the account's videos in flight, whoever sent them.</summary>
public sealed partial class LedgerStore
{
    /// <summary>
    /// How long an unfinished entry is taken to hold a render slot. Renders take minutes; an entry this old
    /// is finished at HeyGen and only waits for a poll, and must not keep a slot from new work forever.
    /// </summary>
    public static readonly TimeSpan InFlightHorizon = TimeSpan.FromHours(2);

    /// <summary>Entries of every campaign sent (or being sent) to HeyGen and not finished, touched within <see cref="InFlightHorizon"/>.</summary>
    public async Task<long> CountInFlightAsync(CancellationToken ct) =>
        await WithConnectionAsync(
            (connection, token) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
                dialect.CountInFlight,
                new { Since = (time.GetUtcNow() - InFlightHorizon).ToUnixTimeMilliseconds() },
                cancellationToken: token)),
            ct);

    /// <summary>
    /// How many of the account's videos are ahead of this claimed entry: sent and unfinished, or claimed
    /// earlier and being sent (<see cref="LedgerDialect.CountAhead"/>).
    /// </summary>
    public async Task<long> CountAheadAsync(string campaign, string key, CancellationToken ct) =>
        await WithConnectionAsync(
            (connection, token) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
                dialect.CountAhead,
                new { Campaign = campaign, Key = key, Since = (time.GetUtcNow() - InFlightHorizon).ToUnixTimeMilliseconds() },
                cancellationToken: token)),
            ct);

    /// <summary>Rows a halted worker claimed and never sent go back to pending.</summary>
    public async Task<int> ReturnClaimsAsync(string campaign, string holder, CancellationToken ct) =>
        await WithConnectionAsync(
            (connection, token) => connection.ExecuteAsync(new CommandDefinition(
                dialect.ReturnClaims,
                new { Campaign = campaign, Holder = holder, Now = time.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken: token)),
            ct);
}
