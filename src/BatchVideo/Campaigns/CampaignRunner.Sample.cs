using BatchVideo.Ledger;

namespace BatchVideo.Campaigns;

/// <summary>The sample gate: how many rows a run may send, and what a sample run leaves behind.</summary>
public sealed partial class CampaignRunner
{
    /// <summary>After a sample run: the sample is recorded, and whether the campaign now waits for approval.</summary>
    private async Task<SampleOutcome?> SampleOutcomeAsync(PreparedRun run)
    {
        if (!run.Plan.Sends || run.Gate is not { Refusal: null } gate)
        {
            return null;
        }

        var fingerprint = ApprovalFingerprint.Of(run.Options, run.Template?.Template.RevisionMarker);
        await ledger.RecordSampleAsync(run.Campaign, fingerprint, gate.Admitted, CancellationToken.None);
        var approval = await ledger.GetApprovalAsync(run.Campaign, CancellationToken.None);
        var waiting = run.Options.RequireApproval && approval?.ApprovedAt is null;
        return new SampleOutcome(
            gate.Admitted,
            waiting,
            waiting ? $"batchvideo approve --campaign {run.Campaign}, then the same run without --sample" : "the same run without --sample");
    }

    /// <summary>
    /// Asks the gate as a row is queued for sending (in source order, by the one producer, so a sample is
    /// the first rows); a row turned away is never claimed for a create and stays pending, and a table
    /// claim on it is let go.
    /// </summary>
    private async Task<bool> AdmitAsync(RunState state, string key, LedgerEntry? entry)
    {
        if (state.Run.Gate is not { } gate || gate.TryAdmit(key))
        {
            return true;
        }

        if (gate.Refusal is { } reason)
        {
            state.Halt(reason);
        }

        if (entry?.State == LedgerState.Claimed)
        {
            await ledger.DropClaimAsync(state.Run.Campaign, key, state.Holder, CancellationToken.None);
        }

        return false;
    }
}
