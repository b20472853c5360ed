using BatchVideo.HeyGen;
using Dapper;

namespace BatchVideo.Ledger;

/// <summary>Video Agent sessions recorded before their video was known (<see cref="AgentSessions"/>).</summary>
public sealed partial class LedgerStore
{
    /// <summary>Puts the session's video in place of its stand-in; false when it is there already (or the entry moved on).</summary>
    public Task<bool> AdoptSessionVideoAsync(string sessionId, string videoId, CancellationToken ct) =>
        WriteAsync(
            dialect.AdoptSessionVideo,
            new { SessionId = sessionId, SessionRef = AgentSessions.Ref(sessionId), VideoId = videoId, Now = Now() },
            ct);

    /// <summary>The entry recording a Video Agent session, or null.</summary>
    public async Task<LedgerEntry?> FindBySessionAsync(string sessionId, CancellationToken ct) =>
        (await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<LedgerEntry>(new CommandDefinition(dialect.SelectBySession, new { SessionId = sessionId }, cancellationToken: token)),
            ct)).FirstOrDefault();
}
