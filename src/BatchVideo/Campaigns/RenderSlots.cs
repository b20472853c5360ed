using System.Threading.RateLimiting;

namespace BatchVideo.Campaigns;

/// <summary>
/// The account's render slots: a create takes one before it is sent, and it comes back when the video is
/// recorded completed or failed, or when the create is refused. HeyGen counts every video created and not
/// yet finished against the account's concurrent-job cap (pay-as-you-go 10), so videos in flight that
/// other runs or machines recorded in the ledger hold slots too, and a cap refusal (the account has other
/// work) shrinks the slots this run uses (multiplicative decrease) until creates succeed again (additive
/// increase).
/// </summary>
/// <remarks>
/// One <see cref="ConcurrencyLimiter"/> of <c>cap</c> permits does the waiting. Slots this run may not use
/// (held by others, or given up after a refusal) are leases kept in a reserve; when the reserve should
/// grow and no permit is free, the next slot returned goes to the reserve instead of to a waiting row.
/// </remarks>
public sealed class RenderSlots : IDisposable
{
    // After a refusal the account had room for fewer videos than we thought: keep 70% of them. Gentler
    // than TCP's halving because the cap is small and a slot left idle costs a whole render.
    private const double Decrease = 0.7;

    // Ledger entries that fill every slot for this long without changing may be stale (finished at HeyGen,
    // never polled): one create then goes out as a probe, and HeyGen's answer says who is right.
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the ledger is asked about the account's videos in flight: the poll interval, within 100 ms
    /// and 1 s, so a slot freed elsewhere is used within a second at one indexed count per look.
    /// </summary>
    public static TimeSpan LedgerLookInterval(TimeSpan pollInterval) =>
        TimeSpan.FromMilliseconds(Math.Clamp(pollInterval.TotalMilliseconds, 100, 1000));

    private readonly ConcurrencyLimiter limiter;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly Stack<RateLimitLease> reserve = new();
    private readonly TaskCompletionSource firstLook = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int effectiveCap;
    private int others;

    // This run's rows that are claimed ("submitting" in the ledger) but wait for a slot again after a refusal:
    // the ledger counts them in flight, and they are this run's, not another's (else they would block themselves).
    private int claimsWaiting;
    // This run's creates that got no answer: their entries stay "submitting" in the ledger (the next run
    // replays them), but nothing says HeyGen holds a slot for them, and they are not another's.
    private int unanswered;

    // The last create answer was a job-cap refusal: a second one in a row says the account is full.
    private bool lastRefused;
    private int held;
    private int rendering;
    private int createdSinceChange;
    private int createdSinceDecrease = 1;
    private long refused;
    private DateTimeOffset notBefore = DateTimeOffset.MinValue;
    private DateTimeOffset othersChangedAt = DateTimeOffset.MinValue;

    /// <param name="cap">The account's concurrent-job cap (<c>HeyGen:MaxConcurrentJobs</c>).</param>
    /// <param name="time">The clock of Retry-After pauses.</param>
    /// <param name="awaitLedger">True when <see cref="WatchAsync"/> will run: no slot is given before its first look.</param>
    public RenderSlots(int cap, TimeProvider time, bool awaitLedger = false)
    {
        if (!awaitLedger)
        {
            firstLook.SetResult();
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        Cap = cap;
        effectiveCap = cap;
        this.time = time;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = cap,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The account's cap, as configured.</summary>
    public int Cap { get; }

    /// <summary>How many videos this run lets the account have unfinished now (the cap, shrunk after refusals).</summary>
    public int EffectiveCap => Volatile.Read(ref effectiveCap);

    /// <summary>Slots held by this run: creates being sent and videos rendering.</summary>
    public int InUse => Volatile.Read(ref held);

    /// <summary>Videos in flight that the ledger shows and this run does not hold (earlier runs, other machines).</summary>
    public int HeldElsewhere => Volatile.Read(ref others);

    /// <summary>Rows waiting for a slot.</summary>
    public long Waiting => limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Creates HeyGen refused because the account's cap was reached.</summary>
    public long Refused => Interlocked.Read(ref refused);

    /// <summary>
    /// Waits for a free slot, then for the end of any pause a refusal's Retry-After asked for. Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="ct"/> ends the wait (nothing is held then).
    /// </summary>
    public async Task<RenderSlot> TakeAsync(CancellationToken ct)
    {
        await firstLook.Task.WaitAsync(ct);
        var lease = await limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("The render slot queue refused a wait; it has no limit, so this is a bug.");
        }

        var slot = new RenderSlot(lease);
        Interlocked.Increment(ref held);
        try
        {
            while (PauseLeft() is { } wait)
            {
                await Task.Delay(wait, time, ct);
            }
        }
        catch (OperationCanceledException)
        {
            Return(slot);
            throw;
        }

        return slot;
    }

    /// <summary>The video finished (or the create was never sent): the slot goes to the next row.</summary>
    public void Return(RenderSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (slot.Take() is not { } lease)
        {
            return;
        }

        Interlocked.Decrement(ref held);
        if (slot.IsRendering)
        {
            Interlocked.Decrement(ref rendering);
        }

        Give(lease);
    }

    /// <summary>
    /// The slot's create succeeded: the video renders until the slot is returned. After twice as many
    /// successes as the effective cap, the run tries one more slot.
    /// </summary>
    public void Created(RenderSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (!slot.MarkRendering())
        {
            return;
        }

        Interlocked.Increment(ref rendering);
        lock (gate)
        {
            lastRefused = false;
            createdSinceDecrease++;
            if (effectiveCap < Cap && ++createdSinceChange >= 2 * effectiveCap)
            {
                effectiveCap++;
                createdSinceChange = 0;
                Rebalance();
            }
        }
    }

    /// <summary>
    /// HeyGen refused the create for the account's job cap: the slot comes back and no create goes out before
    /// <paramref name="retryAfter"/>. A refusal right after another one shrinks the slots this run uses (once per
    /// round of creates, however many refusals arrive together); a single one does not, since HeyGen answers its
    /// request-rate limit with the same 429 <c>rate_limit_exceeded</c> (heygen-v3-contract.md, "Rate limits").
    /// </summary>
    public void Refuse(RenderSlot slot, TimeSpan? retryAfter)
    {
        Interlocked.Increment(ref refused);
        lock (gate)
        {
            var wait = retryAfter ?? TimeSpan.FromSeconds(1);
            var until = time.GetUtcNow() + wait;
            if (until > notBefore)
            {
                notBefore = until;
            }

            var secondInARow = lastRefused;
            lastRefused = true;
            if (secondInARow && createdSinceDecrease > 0)
            {
                // What the account had room for: our videos rendering and what the ledger shows elsewhere.
                // Down to that, or by 30% when that says less, and always by at least one.
                var room = Volatile.Read(ref rendering) + others;
                effectiveCap = Math.Max(1, Math.Min(effectiveCap - 1, Math.Max((int)(effectiveCap * Decrease), room)));
                createdSinceDecrease = 0;
                createdSinceChange = 0;
            }
        }

        Return(slot);
        lock (gate)
        {
            Rebalance();
        }
    }

    /// <summary>
    /// The create got no answer (timeouts, connection errors): the slot comes back, and the row's ledger entry,
    /// still "submitting", is this run's and not counted as another's video in flight.
    /// </summary>
    public void Unanswered(RenderSlot slot)
    {
        Interlocked.Increment(ref unanswered);
        Return(slot);
    }

    /// <summary>
    /// This run's claimed rows that hold no slot: waiting for one again after a refusal, or left without an
    /// answer (their entries stay "submitting" for a replay).
    /// </summary>
    public int OwnClaimsWithoutSlot => Volatile.Read(ref unanswered) + Volatile.Read(ref claimsWaiting);

    /// <summary>A claimed row of this run waits for a slot again (<paramref name="waiting"/>) or stops waiting.</summary>
    internal void ClaimWaiting(bool waiting) => Interlocked.Add(ref claimsWaiting, waiting ? 1 : -1);

    /// <summary>
    /// The account's videos in flight as the ledger shows them, this run's own among them (they are told
    /// apart by the slots this run holds). Slots the others hold are taken out of this run's share.
    /// </summary>
    public void ObserveInFlight(long inLedger)
    {
        lock (gate)
        {
            var seen = (int)Math.Clamp(inLedger - Volatile.Read(ref held) - Volatile.Read(ref claimsWaiting) - Volatile.Read(ref unanswered), 0, Cap);
            if (seen != others)
            {
                others = seen;
                othersChangedAt = time.GetUtcNow();
            }

            Rebalance();
        }
    }

    /// <summary>
    /// Reads the account's videos in flight now and every <paramref name="every"/> until <paramref name="ct"/>
    /// ends; a failed read keeps the last count (the next one corrects it).
    /// </summary>
    public async Task WatchAsync(Func<CancellationToken, Task<long>> countInFlight, TimeSpan every, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(countInFlight);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                ObserveInFlight(await countInFlight(ct));
                firstLook.TrySetResult();
                await Task.Delay(every, time, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                firstLook.TrySetResult();
                return;
            }
#pragma warning disable CA1031 // a ledger hiccup must not stop the run: the slots keep their last view
            catch (Exception)
#pragma warning restore CA1031
            {
                firstLook.TrySetResult();
                await Task.Delay(every, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Leases this run may not use: <c>cap - effective cap + others</c>, all of them when others fill the
    /// account, but one fewer once that has not changed for <see cref="StaleAfter"/> (a probe).
    /// </summary>
    private int Target()
    {
        var probe = others >= effectiveCap && time.GetUtcNow() - othersChangedAt > StaleAfter ? 1 : 0;
        return Math.Clamp(Cap - effectiveCap + others, 0, Cap - probe);
    }

    /// <summary>Moves leases into or out of the reserve so this run uses no more than its share.</summary>
    private void Rebalance()
    {
        var target = Target();
        List<RateLimitLease>? freed = null;
        while (reserve.Count > target)
        {
            (freed ??= []).Add(reserve.Pop());
        }

        while (reserve.Count < target)
        {
            var lease = limiter.AttemptAcquire(1);
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                break; // the next slot returned goes to the reserve
            }

            reserve.Push(lease);
        }

        foreach (var lease in freed ?? [])
        {
            lease.Dispose();
        }
    }

    private void Give(RateLimitLease lease)
    {
        lock (gate)
        {
            if (reserve.Count < Target())
            {
                reserve.Push(lease);
                return;
            }
        }

        lease.Dispose();
    }

    private TimeSpan? PauseLeft()
    {
        lock (gate)
        {
            var left = notBefore - time.GetUtcNow();
            return left > TimeSpan.Zero ? left : null;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            while (reserve.TryPop(out var lease))
            {
                lease.Dispose();
            }
        }

        limiter.Dispose();
    }
}

/// <summary>One render slot: held from before a create until its video is recorded finished.</summary>
public sealed class RenderSlot
{
    private RateLimitLease? lease;

    internal RenderSlot(RateLimitLease lease) => this.lease = lease;

    private int rendering;

    /// <summary>True once the slot's create succeeded.</summary>
    internal bool IsRendering => Volatile.Read(ref rendering) == 1;

    /// <summary>The lease, once: a slot is given back at most once, whichever path gives it.</summary>
    internal RateLimitLease? Take() => Interlocked.Exchange(ref lease, null);

    /// <summary>Marks the create done; false when it was already marked.</summary>
    internal bool MarkRendering() => Interlocked.Exchange(ref rendering, 1) == 0;
}
