using System.Collections.Concurrent;

namespace BatchVideo.Sandbox.Videos;

/// <summary>What an <c>Idempotency-Key</c> lookup found.</summary>
internal enum IdempotencyOutcome
{
    /// <summary>The key is now ours: go ahead, then complete or abandon the claim.</summary>
    Claimed,

    /// <summary>Another request holding the key is still running: answer 409.</summary>
    InProgress,

    /// <summary>The key already produced a response within the window: send it again.</summary>
    Replay,
}

/// <summary>The result of <see cref="IdempotencyStore.Begin"/>.</summary>
internal readonly record struct IdempotencyLookup(IdempotencyOutcome Outcome, IdempotencyStore.Entry? Claim, byte[]? Response, int StatusCode = 200);

/// <summary>
/// HeyGen's <c>Idempotency-Key</c> semantics for <c>POST /v3/videos</c>: the first request with a key
/// claims it; while it runs, repeats get 409; once it succeeded, repeats within the window get the original
/// response back; a failed request gives the key up so a retry can really try again.
/// </summary>
internal sealed class IdempotencyStore(TimeProvider time, TimeSpan window)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private long nextSweepTicks;

    /// <summary>
    /// One key's state. A class, not a record, on purpose: the dictionary's compare-and-swap must match
    /// this very claim, never another request's claim that happens to hold equal values.
    /// </summary>
    internal sealed class Entry(DateTimeOffset startedAt, byte[]? response, int statusCode = 200)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;

        /// <summary>Null while the request is in flight.</summary>
        public byte[]? Response { get; } = response;

        /// <summary>The HTTP status the stored response went out with.</summary>
        public int StatusCode { get; } = statusCode;
    }

    /// <summary>HeyGen's documented key syntax, <c>^[A-Za-z0-9_\-:.]{1,255}$</c>, without a regex on the hot path.</summary>
    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 255)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public IdempotencyLookup Begin(string key)
    {
        var now = time.GetUtcNow();
        SweepIfDue(now);
        while (true)
        {
            var claim = new Entry(now, response: null);
            if (entries.TryAdd(key, claim))
            {
                return new IdempotencyLookup(IdempotencyOutcome.Claimed, claim, null);
            }

            if (!entries.TryGetValue(key, out var existing))
            {
                continue;
            }

            if (existing.Response is null)
            {
                return new IdempotencyLookup(IdempotencyOutcome.InProgress, null, null);
            }

            if (now - existing.StartedAt < window)
            {
                return new IdempotencyLookup(IdempotencyOutcome.Replay, null, existing.Response, existing.StatusCode);
            }
            // Expired: the key is forgotten, so this request starts afresh.
            if (entries.TryUpdate(key, claim, existing))
            {
                return new IdempotencyLookup(IdempotencyOutcome.Claimed, claim, null);
            }
        }
    }

    /// <summary>Stores the response to replay; the window counts from when the original request began.</summary>
    public void Complete(string key, Entry claim, byte[] response, int statusCode = 200) =>
        entries.TryUpdate(key, new Entry(claim.StartedAt, response, statusCode), claim);

    /// <summary>Puts back a key an earlier process of this account answered; one past the window is forgotten.</summary>
    public void Restore(string key, DateTimeOffset startedAt, byte[] response)
    {
        if (time.GetUtcNow() - startedAt < window)
        {
            entries[key] = new Entry(startedAt, response);
        }
    }

    /// <summary>Gives the key up after an error answer, which HeyGen does not replay.</summary>
    public void Abandon(string key, Entry claim) =>
        entries.TryRemove(new KeyValuePair<string, Entry>(key, claim));

    /// <summary>Drops expired keys about once per window, so a long benchmark does not hoard them.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref nextSweepTicks, (now + window).UtcTicks, due) != due)
        {
            return;
        }

        if (due == 0)
        {
            return; // the first call only schedules the first sweep
        }

        foreach (var pair in entries)
        {
            if (pair.Value.Response is not null && now - pair.Value.StartedAt >= window)
            {
                entries.TryRemove(pair);
            }
        }
    }
}
