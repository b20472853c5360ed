using Dapper;

namespace BatchVideo.Ledger;

/// <summary>Samples and approvals of campaigns that require approval before their batch is sent.</summary>
public sealed partial class LedgerStore
{
    /// <summary>The campaign's sample and approval, or null when it never had a sample.</summary>
    public async Task<ApprovalRecord?> GetApprovalAsync(string campaign, CancellationToken ct) =>
        (await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<ApprovalRecord>(new CommandDefinition(dialect.SelectApproval, new { Campaign = campaign }, cancellationToken: token)),
            ct)).SingleOrDefault();

    /// <summary>Records a sample of the campaign as configured now (its <paramref name="fingerprint"/>).</summary>
    public async Task RecordSampleAsync(string campaign, string fingerprint, long rows, CancellationToken ct)
    {
        var values = new { Campaign = campaign, Fingerprint = fingerprint, Rows = rows, Now = Now() };
        var updated = await WithConnectionAsync(
            (connection, token) => connection.ExecuteAsync(new CommandDefinition(dialect.UpdateSample, values, cancellationToken: token)),
            ct);
        if (updated == 0)
        {
            await WithConnectionAsync(
                (connection, token) => connection.ExecuteAsync(new CommandDefinition(dialect.InsertSample, values, cancellationToken: token)),
                ct);
        }
    }

    /// <summary>Approves the campaign's sample; false when there is no sample of the campaign as configured now.</summary>
    public async Task<bool> ApproveAsync(string campaign, string fingerprint, CancellationToken ct) =>
        await WithConnectionAsync(
            (connection, token) => connection.ExecuteAsync(new CommandDefinition(dialect.Approve, new { Campaign = campaign, Fingerprint = fingerprint, Now = Now() }, cancellationToken: token)),
            ct) == 1;
}

/// <summary>A campaign's latest sample (of which configuration, how many rows, when) and its approval.</summary>
public sealed class ApprovalRecord
{
    public string Campaign { get; set; } = "";

    /// <summary>Hash of what a sample shows: template, title, avatar look, voice, framing (see ApprovalFingerprint).</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Unix milliseconds.</summary>
    public long? SampledAt { get; set; }

    public long? SampleRows { get; set; }

    /// <summary>Unix milliseconds; null until approved, and again after a sample of a changed campaign.</summary>
    public long? ApprovedAt { get; set; }
}
