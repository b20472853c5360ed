namespace BatchVideo.Sandbox.Api;

/// <summary>
/// A continuously refilled token bucket. Hand-written rather than System.Threading.RateLimiting's
/// TokenBucketRateLimiter because that one refills in periodic steps on its own timer, while the
/// sandbox must refill smoothly from an injectable <see cref="TimeProvider"/> so tests control time.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly double ratePerSecond;
    private readonly double capacity;
    private double tokens;
    private long lastRefill;

    public TokenBucket(double ratePerSecond, TimeProvider time)
    {
        this.time = time;
        this.ratePerSecond = ratePerSecond;
        capacity = Math.Max(1, ratePerSecond);
        tokens = capacity;
        lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes one token, or says how many whole seconds (at least 1) until one is available.</summary>
    public bool TryTake(out int retryAfterSeconds)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(lastRefill, now).TotalSeconds;
            lastRefill = now;
            if (elapsed > 0)
            {
                tokens = Math.Min(capacity, tokens + (elapsed * ratePerSecond));
            }

            if (tokens >= 1)
            {
                tokens -= 1;
                retryAfterSeconds = 0;
                return true;
            }

            retryAfterSeconds = (int)Math.Max(1, Math.Ceiling((1 - tokens) / ratePerSecond));
            return false;
        }
    }
}
