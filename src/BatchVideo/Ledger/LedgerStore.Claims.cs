using Dapper;

namespace BatchVideo.Ledger;

/// <summary>
/// Table work and its claims: recipients found in a table become pending, workers claim them under a
/// lease, and a run that meets one in a file takes over what nobody is working on.
/// </summary>
public sealed partial class LedgerStore
{
    /// <summary>Records recipients found in a table source as pending work (one statement per batch).</summary>
    public async Task EnqueueAsync(string campaign, IReadOnlyList<PendingWork> work, long runStarted, CancellationToken ct)
    {
        if (work.Count == 0)
        {
            return;
        }

        foreach (var chunk in work.Chunk(dialect.MaxKeysPerQuery))
        {
            var batch = System.Text.Json.JsonSerializer.Serialize(chunk.Select(w => new Dictionary<string, string>
            {
                ["k"] = w.Key,
                ["i"] = w.IdempotencyKey,
                ["m"] = w.TitleMarker,
            }));
            await WithConnectionAsync(
                (connection, token) => connection.ExecuteAsync(new CommandDefinition(
                    dialect.EnqueuePending,
                    new { Campaign = campaign, Batch = batch, Now = Now(), RunStarted = runStarted },
                    cancellationToken: token)),
                ct);
        }
    }

    /// <summary>Claims up to <paramref name="count"/> entries for <paramref name="holder"/>; no two holders get the same entry.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ClaimAsync(string campaign, string holder, int count, TimeSpan lease, CancellationToken ct)
    {
        var now = Now();
        var claimed = await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<LedgerEntry>(new CommandDefinition(
                dialect.ClaimBatch,
                new { Campaign = campaign, Holder = holder, Count = count, Now = now, LeaseUntil = now + (long)lease.TotalMilliseconds },
                cancellationToken: token)),
            ct);
        return [.. claimed.OrderBy(e => e.RecipientKey, StringComparer.Ordinal)];
    }

    /// <summary>Extends the leases of everything <paramref name="holder"/> still holds.</summary>
    public Task<bool> RenewLeasesAsync(string campaign, string holder, TimeSpan lease, CancellationToken ct) =>
        UpdateAsync(
            dialect.RenewLeases,
            new { Campaign = campaign, Holder = holder, LeaseUntil = Now() + (long)lease.TotalMilliseconds },
            ct);

    /// <summary>Moves a claimed entry to submitting, just before its create is sent.</summary>
    public Task<bool> BeginSubmittingAsync(string campaign, string key, string holder, CancellationToken ct) =>
        WriteAsync(
            dialect.BeginSubmitting,
            new { Campaign = campaign, Key = key, Holder = holder, Now = Now() },
            ct);

    /// <summary>A claimed row that cannot be rendered: kept with its reason until a later run finds it fixed.</summary>
    public Task<bool> MarkRejectedAsync(string campaign, string key, string holder, string reason, CancellationToken ct) =>
        WriteAsync(
            dialect.MarkRejected,
            new { Campaign = campaign, Key = key, Holder = holder, Reason = reason, Now = Now() },
            ct);

    /// <summary>Forgets a claim whose row no longer needs a video (gone, or given a URL meanwhile).</summary>
    public Task<bool> DropClaimAsync(string campaign, string key, string holder, CancellationToken ct) =>
        WriteAsync(
            dialect.DropClaim,
            new { Campaign = campaign, Key = key, Holder = holder },
            ct);

    /// <summary>Entries in one state, in key order, one page after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> PageAsync(string campaign, string state, string after, int count, CancellationToken ct)
    {
        var rows = await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<LedgerEntry>(new CommandDefinition(
                dialect.SelectPage,
                new { Campaign = campaign, State = state, After = after, Count = count },
                cancellationToken: token)),
            ct);
        return [.. rows];
    }

    /// <summary>How much table work is pending or held by some worker.</summary>
    public async Task<long> CountOutstandingClaimsAsync(string campaign, CancellationToken ct) =>
        await WithConnectionAsync(
            (connection, token) => connection.ExecuteScalarAsync<long>(new CommandDefinition(dialect.CountOutstandingClaims, new { Campaign = campaign }, cancellationToken: token)),
            ct);

    /// <summary>
    /// Takes over an entry nobody is working on (pending, rejected, or held under an ended lease) as
    /// "submitting" under <paramref name="holder"/>'s lease; false when another worker holds or took it.
    /// </summary>
    public Task<bool> TakeOverAsync(string campaign, string key, string holder, TimeSpan lease, CancellationToken ct)
    {
        var now = Now();
        return WriteAsync(
            dialect.TakeOver,
            new { Campaign = campaign, Key = key, Holder = holder, Now = now, LeaseUntil = now + (long)lease.TotalMilliseconds },
            ct);
    }
}
