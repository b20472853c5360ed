namespace BatchVideo.HeyGen;

/// <summary>
/// The recovery rule shared by every HeyGen request of the process: a circuit that opens when HeyGen cannot be
/// reached (a connection refused, reset or unresolvable), lets one request through as a probe once a short break
/// has passed (half-open), and closes on the first answer, releasing every waiting request at once. Without it
/// each request slept its own exponential backoff (up to 30 s, jittered), so after a 20-60 s outage a run crept
/// back at 1-4 rows/s (issue 28); with it the run returns to its pace within one break
/// (<see cref="HeyGenOptions.OutageProbeInterval"/>) of HeyGen's return, and requests waiting for the probe spend
/// none of their retries. Once the outage has lasted <see cref="HeyGenOptions.OutageGiveUp"/>, requests other
/// than the probe fail at once (<see cref="HeyGenUnreachableException"/>) instead of waiting, so a run records
/// its rows as "to resume" and ends; the probes go on. Answers of any status, 5xx included, prove HeyGen reachable.
/// All times come from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class HeyGenOutage(TimeProvider time, TimeSpan probeInterval, TimeSpan giveUpAfter)
{
    /// <summary>The first break; each failed probe doubles it, up to the probe interval.</summary>
    public static readonly TimeSpan FirstBreak = TimeSpan.FromMilliseconds(500);

    private readonly Lock gate = new();
    private DateTimeOffset? openedAt;
    private DateTimeOffset halfOpenAt;
    private TimeSpan currentBreak;
    private bool probing;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeyGenOutage(TimeProvider time, HeyGenOptions options)
        : this(time, (options ?? throw new ArgumentNullException(nameof(options))).OutageProbeInterval, options.OutageGiveUp)
    {
    }

    /// <summary>True while HeyGen is taken for unreachable.</summary>
    public bool IsOpen
    {
        get
        {
            lock (gate)
            {
                return openedAt is not null;
            }
        }
    }

    /// <summary>When the next probe may go while the circuit is open; null while closed.</summary>
    public DateTimeOffset? ProbeAt
    {
        get
        {
            lock (gate)
            {
                return openedAt is null ? null : halfOpenAt;
            }
        }
    }

    /// <summary>
    /// Waits until a request may be sent: at once while closed; while open, until the break ends and this caller
    /// is the probe, or until a probe's answer closes the circuit. True when the caller is the probe, which must
    /// then report its outcome (<see cref="Reached"/>, <see cref="Unreachable"/>, or <see cref="Abandoned"/>).
    /// </summary>
    /// <exception cref="HeyGenUnreachableException">The outage has lasted longer than the give-up time.</exception>
    public async ValueTask<bool> EnterAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (openedAt is not { } since)
                {
                    return false;
                }

                var now = time.GetUtcNow();
                if (!probing && now >= halfOpenAt)
                {
                    probing = true;
                    return true;
                }

                if (now - since >= giveUpAfter)
                {
                    throw new HeyGenUnreachableException(now - since);
                }

                wait = probing ? changed.Task : Task.WhenAny(changed.Task, Task.Delay(halfOpenAt - now, time, ct));
            }

            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>HeyGen answered (any status): the circuit closes and every waiting request goes.</summary>
    public void Reached()
    {
        lock (gate)
        {
            if (openedAt is null)
            {
                return;
            }

            openedAt = null;
            probing = false;
            Signal();
        }
    }

    /// <summary>HeyGen could not be reached: opens the circuit, or, after a failed probe, doubles the break.</summary>
    public void Unreachable(bool probe)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (openedAt is null)
            {
                openedAt = now;
                currentBreak = FirstBreak < probeInterval ? FirstBreak : probeInterval;
            }
            else if (probe)
            {
                probing = false;
                currentBreak = currentBreak * 2 < probeInterval ? currentBreak * 2 : probeInterval;
            }
            else
            {
                // A request sent before the circuit opened: the outage is already known.
                return;
            }

            halfOpenAt = now + currentBreak;
            Signal();
        }
    }

    /// <summary>The probe ended without a verdict (cancelled): the next waiter probes instead.</summary>
    public void Abandoned(bool probe)
    {
        if (!probe)
        {
            return;
        }

        lock (gate)
        {
            probing = false;
            Signal();
        }
    }

    private void Signal()
    {
        var waiting = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.TrySetResult();
    }
}

/// <summary>HeyGen has been unreachable for longer than <see cref="HeyGenOptions.OutageGiveUp"/>; nothing was sent.</summary>
public sealed class HeyGenUnreachableException(TimeSpan outage)
    : HttpRequestException($"HeyGen has been unreachable for {outage.TotalSeconds:0} s; the request was not sent (HeyGen:OutageGiveUp)")
{
    /// <summary>How long HeyGen has been unreachable.</summary>
    public TimeSpan Outage { get; } = outage;
}
