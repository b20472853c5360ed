using BatchVideo.Sources.Tables;

namespace BatchVideo.Campaigns;

/// <summary>How far a run follows the videos it sends or finds rendering.</summary>
public enum FollowMode
{
    /// <summary>Nothing is followed (a dry run).</summary>
    None,

    /// <summary>Followed only while creates wait for a render slot (<c>--no-wait</c>, serve's campaign job).</summary>
    WhileSending,

    /// <summary>Followed until every video is finished.</summary>
    UntilFinished,
}

/// <summary>
/// The stages of one run, decided once from the request and the source, so no stage asks the request's
/// switches again: read a file or claim a table's rows, send or only count, follow, write back.
/// </summary>
/// <param name="ClaimsTable">The table flow: pending rows recorded in the ledger and claimed under a lease. A dry run only reads a table, like a file.</param>
/// <param name="Sends">Creates are sent and the ledger changes (migrated, claimed, run recorded); false: only counted.</param>
/// <param name="Follows">How far videos are followed.</param>
/// <param name="FollowsEarlier">A table run also follows the videos earlier runs left rendering.</param>
/// <param name="WritesBack">The ledger's values are written back to the source at the end.</param>
public sealed record RunPlan(bool ClaimsTable, bool Sends, FollowMode Follows, bool FollowsEarlier, bool WritesBack)
{
    /// <summary>The plan of <paramref name="request"/> over <paramref name="source"/>.</summary>
    public static RunPlan Of(RunRequest request, Sources.IRecipientSource source)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sends = !request.DryRun;
        return new RunPlan(
            ClaimsTable: sends && source is ITableSource && request.OpenSource is null,
            Sends: sends,
            Follows: !sends ? FollowMode.None : request.NoWait ? FollowMode.WhileSending : FollowMode.UntilFinished,
            FollowsEarlier: sends && !request.NoWait,
            WritesBack: sends);
    }

    /// <summary>The summary's and the report's name of the command.</summary>
    public RunMode Mode => Sends ? RunMode.Run : RunMode.DryRun;
}
