using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using BatchVideo.Reports;
using BatchVideo.WriteBack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Campaigns;

/// <summary>
/// Builds a run's stages with their settings (Polly's way: settings at construction, a value returned): the
/// pre-flight, the feeders, the submitter, the follower and the write-back, and wires one run's control,
/// breaker, slots and rejects sink into them in order, so no stage refers to the run that holds it.
/// </summary>
/// <param name="logger">The runner's: an operator reading <c>--verbose</c> finds the run's lines under one name.</param>
public sealed class RunStages(
    LedgerStore ledger,
    HeyGenClient heyGen,
    Links.VideoStorage storage,
    CampaignPreflight preflight,
    IOptions<BatchVideoOptions> options,
    IOptions<HeyGenOptions> heyGenOptions,
    IOptions<LedgerOptions> ledgerOptions,
    TimeProvider time,
    ILogger<CampaignRunner> logger)
{
    internal HeyGenOptions HeyGen => heyGenOptions.Value;

    internal LedgerStore Ledger => ledger;

    internal ILogger Logger => logger;

    /// <param name="sends">The run sends creates: its slots also count the account's videos in flight from the ledger.</param>
    /// <param name="writesFailed">Failed rows go to the rejects file as they fail (a run; not the completion pass).</param>
    internal RunState Begin(PreparedRun run, RunProgress progress, RunControl control, ReportSession report, bool sends, bool writesFailed)
    {
        var settings = heyGenOptions.Value;
        var slots = new RenderSlots(settings.MaxConcurrentJobs, time, awaitLedger: sends);
        progress.Watch(slots);
        var breaker = new FailureBreaker(settings.CircuitBreakerFailures, control.Halt);
        var rejects = new RejectsSink(run, progress, report, logger, writesFailed);
        var follower = new VideoFollower(ledger, heyGen, storage, settings, time, logger, run.Campaign, progress, breaker, slots, rejects)
        {
            AwaitsCaptions = run.Options.Captions && run.VideoType.TakesCaptions && run.Options.Columns.Captions is not null,
            LedgerLost = control.LoseLedger,
        };
        return new RunState(run, control, progress, follower, breaker, report, slots, rejects);
    }

    internal RunPreflight Preflight() => new(preflight, ledger, time, logger);

    internal VideoSubmitter Submitter() => new(ledger, heyGen, heyGenOptions.Value, ledgerOptions.Value.ClaimLease, time, logger);

    internal RowFeeder Feeder(RunState state) => new(state, ledger, time);

    internal TableFeeder TableFeeder(RunState state) => new(state, ledger, heyGenOptions.Value, ledgerOptions.Value.ClaimLease, time);

    internal RunWriteBack WriteBack() => new(ledger, options.Value.Storage, logger);

    internal CaptionCatchUp CaptionCatchUp() => new(ledger, heyGen, heyGenOptions.Value, time);

    /// <summary>Keeps the slots' view of the account's videos in flight (other runs, other machines) current.</summary>
    internal Task WatchSlotsAsync(RenderSlots slots, CancellationToken ct)
    {
        var every = RenderSlots.LedgerLookInterval(heyGenOptions.Value.PollInterval);
        return Task.Run(() => slots.WatchAsync(ledger.CountInFlightAsync, every, ct), CancellationToken.None);
    }
}
