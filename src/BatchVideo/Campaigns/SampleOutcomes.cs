using BatchVideo.Ledger;

namespace BatchVideo.Campaigns;

/// <summary>What a sample run leaves behind: the sample recorded, and whether the campaign now waits for approval.</summary>
internal static class SampleOutcomes
{
    /// <summary>After a run that sent through a sample gate: its outcome; null for any other run.</summary>
    public static async Task<SampleOutcome?> RecordAsync(PreparedRun run, LedgerStore ledger)
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
}
