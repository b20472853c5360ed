namespace BatchVideo.Campaigns;

/// <summary>
/// What may still happen in one run, and why not: stop (everything ends), halt (no further create, the ones in
/// the air finish), the spend budget, the submission window, and a lost ledger. The only state the run's stages
/// share; each stage gets it when it is built and reads or ends the run through it.
/// </summary>
internal sealed class RunControl : IDisposable
{
    private readonly CancellationTokenSource stop;

    // Cancelled by a halt as well as a stop: rows waiting for a render slot give up their wait.
    private readonly CancellationTokenSource noMoreCreates;
    private readonly CancellationTokenSource ledgerGone = new();
    private readonly Lock budgetGate = new();
    private string? stoppedBecause;
    private double reserved;
    private long reservedVideos;
    private bool halted;
    private bool beforeAnyCreate;
    private ITimer? window;
    private Ledger.LedgerUnavailableException? ledgerLost;

    /// <param name="cancelled">The caller's token: cancelling it stops the run.</param>
    public RunControl(CancellationToken cancelled)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancelled);
        noMoreCreates = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
    }

    /// <summary>Ends when the run stops (a fatal reason, the caller's cancel, a lost ledger).</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>Ends once no further create may be sent (stopped or halted).</summary>
    public CancellationToken CreatesToken => noMoreCreates.Token;

    /// <summary>Ends once the ledger could not be written: the follower stops with it (any other stop lets it record what is in flight).</summary>
    public CancellationToken LedgerLostToken => ledgerGone.Token;

    /// <summary>The first reason the run stopped or halted; null while it goes on.</summary>
    public string? StoppedBecause => Volatile.Read(ref stoppedBecause);

    /// <summary>True once no further create may be sent (a budget, the window, the sample gate or the circuit breaker said so).</summary>
    public bool Halted => Volatile.Read(ref halted);

    /// <summary>The pre-flight refused the run: nothing was sent (a configuration error, exit code 2).</summary>
    public bool StoppedBeforeAnyCreate => Volatile.Read(ref beforeAnyCreate);

    /// <summary>Set when the ledger could not be written (a full disk, a read-only file): what the run ends with.</summary>
    public Ledger.LedgerUnavailableException? LedgerLost => Volatile.Read(ref ledgerLost);

    /// <summary>Estimated spend of the creates sent or being sent, in the run's unit (for --max-spend).</summary>
    public double Reserved
    {
        get
        {
            lock (budgetGate)
            {
                return reserved;
            }
        }
    }

    /// <summary>Creates counted in <see cref="Reserved"/>.</summary>
    public long ReservedVideos
    {
        get
        {
            lock (budgetGate)
            {
                return reservedVideos;
            }
        }
    }

    /// <summary>Adds a create's estimated cost, unless that would pass <paramref name="budget"/>.</summary>
    public bool TryReserve(double cost, double budget)
    {
        lock (budgetGate)
        {
            if (reserved + cost > budget)
            {
                return false;
            }

            reserved += cost;
            reservedVideos++;
            return true;
        }
    }

    public void Stop(string reason)
    {
        Interlocked.CompareExchange(ref stoppedBecause, reason, null);
        stop.Cancel();
    }

    /// <summary>The pre-flight's refusal: the run stops, and its summary says nothing was sent.</summary>
    public void StopBeforeAnyCreate(string reason)
    {
        Volatile.Write(ref beforeAnyCreate, true);
        Stop(reason);
    }

    /// <summary>
    /// The ledger cannot be written: no create may go without its entry, and no result can be recorded, so
    /// the run stops at once (creates, reads and following alike) and ends with the ledger's sentence.
    /// </summary>
    public void LoseLedger(Ledger.LedgerUnavailableException e)
    {
        Interlocked.CompareExchange(ref ledgerLost, e, null);
        Stop(e.Message);
        ledgerGone.Cancel();
    }

    /// <summary>
    /// Sends no further create but lets the ones in the air finish and the follower go on, so nothing
    /// already paid for is left unrecorded; rows not sent stay pending.
    /// </summary>
    public void Halt(string reason)
    {
        Interlocked.CompareExchange(ref stoppedBecause, reason, null);
        Volatile.Write(ref halted, true);
        try
        {
            noMoreCreates.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run is over; nothing is waiting for a slot any more.
        }
    }

    /// <summary>
    /// The spend budget is reached: no further row is fed or priced, but the creates already within the
    /// budget still go (they hold its share, and stopping them would leave paid-for rows unsent).
    /// </summary>
    public void BudgetReached(string reason)
    {
        Interlocked.CompareExchange(ref stoppedBecause, reason, null);
        Volatile.Write(ref halted, true);
    }

    /// <summary>Halts the run at <paramref name="until"/> (the end of the campaign's submission window).</summary>
    public void HaltAt(DateTimeOffset until, TimeProvider time)
    {
        const string reason = "the campaign's submission window (SubmitUntil) ended; rows not sent stay pending for the next fire";
        var left = until - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            Halt(reason);
            return;
        }

        window = time.CreateTimer(_ => Halt(reason), null, left, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        window?.Dispose();
        noMoreCreates.Dispose();
        ledgerGone.Dispose();
        stop.Dispose();
    }
}
