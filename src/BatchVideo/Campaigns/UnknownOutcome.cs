using System.Globalization;
using BatchVideo.Ledger;

namespace BatchVideo.Campaigns;

/// <summary>
/// A create sent once to an endpoint not trusted to honour the Idempotency-Key whose answer was lost: HeyGen may
/// or may not have made (and billed) a video. Sending it again could pay twice, so it is recorded with what finds it
/// at HeyGen (the marker sent as <c>callback_id</c>, or in the title; the time; the attempt) and left to the operator.
/// </summary>
public static class UnknownOutcome
{
    /// <summary>The one sentence a summary prints under the count of such rows.</summary>
    public const string WhatToDo =
        "look for each one's callback_id in HeyGen (webhook events, the app's sessions), then run 'batchvideo resolve --key KEY --found VIDEO_ID', or '--send-again' if no video was made";

    /// <summary>Why the row's outcome is unknown and how to settle it, naming the marker, time and attempt.</summary>
    public static string Reason(string key, string marker, int attempt, DateTimeOffset sentAt, string route, string why) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"outcome unknown: POST /{route} of attempt {attempt} sent {sentAt:yyyy-MM-dd HH:mm:ss} UTC {why}, and that endpoint is not known to honour the Idempotency-Key, so it is not sent again; "
            + $"look for callback_id {marker} in HeyGen, then 'batchvideo resolve --key {key} --found VIDEO_ID' or '--send-again'");

    /// <summary>Records the unknown outcome in the ledger and reports the row (counted as failed and as unknown).</summary>
    internal static async Task RecordAsync(LedgerStore ledger, RunState state, Submission submission, string reason)
    {
        await ledger.MarkOutcomeUnknownAsync(state.Run.Campaign, submission.Key, reason, CancellationToken.None);
        state.Progress.OnFailed(new RowProblem(RowOutcome.Failed, submission.Line, submission.Key, null, reason) { Code = LedgerStore.OutcomeUnknownCode });
    }
}
