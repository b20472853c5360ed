using BatchVideo.Ledger;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BatchVideo.Cli;

/// <summary>What <c>/healthz</c> answers: overall status, the node, each dependency, and what is down and why.</summary>
internal sealed record HealthReport(string Status, string Node, bool Scheduler, bool Ledger, IReadOnlyList<string> Down);

/// <summary>
/// <c>serve</c>'s health, answered within <see cref="Budget"/> whatever its dependencies do. Each probe is
/// bounded: the ledger's read is cancelled at the budget and the answer does not wait for it (a hung file system
/// or an unreachable database server can ignore cancellation), and while one ledger probe is still stuck no
/// second one is started, so a load balancer asking every second cannot pile up connections. The ledger's own
/// retries (which made a down ledger take 37 s to report) never run past the budget.
/// </summary>
/// <param name="readLedger">One small ledger read (<see cref="ForLedger"/>); a seam so tests can hang it.</param>
internal sealed class ServeHealth(ISchedulerFactory schedulers, Func<CancellationToken, Task> readLedger, TimeProvider time, ILogger<ServeHealth> logger)
{
    /// <summary>The whole answer's bound; each probe gets it, in parallel.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(800);

    private readonly Lock gate = new();
    private Task? ledgerProbe;
    private DateTimeOffset ledgerProbeStarted;

    public async Task<HealthReport> CheckAsync(CancellationToken ct)
    {
        var down = new List<string>();
        var scheduler = ProbeSchedulerAsync(ct);
        var ledgerOk = ProbeLedgerAsync(ct);
        var (schedulerOk, node, schedulerProblem) = await scheduler;
        var (ledgerAnswered, ledgerProblem) = await ledgerOk;
        if (schedulerProblem is not null)
        {
            down.Add(schedulerProblem);
        }

        if (ledgerProblem is not null)
        {
            down.Add(ledgerProblem);
        }

        return new HealthReport(down.Count == 0 ? "ok" : "degraded", node, schedulerOk, ledgerAnswered, down);
    }

    private async Task<(bool Ok, string Node, string? Problem)> ProbeSchedulerAsync(CancellationToken ct)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler(ct).AsTask().WaitAsync(Budget, time, ct);
            var running = scheduler.Status == SchedulerStatus.Running;
            return (running, scheduler.SchedulerInstanceId, running ? null : $"scheduler: {scheduler.Status.ToString().ToLowerInvariant()}, not running");
        }
        catch (TimeoutException)
        {
            return (false, "", $"scheduler: no answer within {Budget.TotalMilliseconds:0} ms");
        }
    }

    private async Task<(bool Ok, string? Problem)> ProbeLedgerAsync(CancellationToken ct)
    {
        Task probe;
        lock (gate)
        {
            if (ledgerProbe is { IsCompleted: false } stuck)
            {
                probe = stuck;
            }
            else
            {
                ledgerProbeStarted = time.GetUtcNow();
                probe = ledgerProbe = ReadLedgerAsync();
            }
        }

        try
        {
            await probe.WaitAsync(Budget, time, ct);
            return (true, null);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var waiting = time.GetUtcNow() - ledgerProbeStarted;
            return (false, $"ledger: no answer within {Budget.TotalMilliseconds:0} ms (a read started {waiting.TotalSeconds:0.0} s ago is still waiting: a hung disk or an unreachable database server)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The endpoint is open to anyone who reaches the port: the kind of failure only, the detail in the log.
            logger.LogWarning("Health: the ledger read failed: {Reason}", e.Message);
            return (false, $"ledger: the read failed ({e.GetType().Name}; the log has the detail)");
        }
    }

    /// <summary>The read <c>serve</c> probes its ledger with: claims outstanding, an indexed count.</summary>
    public static Func<CancellationToken, Task> ForLedger(LedgerStore ledger) => ct => ledger.CountOutstandingClaimsAsync("", ct);

    /// <summary>One small read, cancelled at the budget so its retries stop there too.</summary>
    private async Task ReadLedgerAsync()
    {
        using var budget = new CancellationTokenSource(Budget, time);
        await readLedger(budget.Token);
    }
}
