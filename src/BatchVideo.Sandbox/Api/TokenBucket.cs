namespace BatchVideo.Sandbox.Api;

/// <summary>
/// A continuously refilled token bucket. Hand-written rather than System.Threading.RateLimiting's
/// TokenBucketRateLimiter because that one refills in periodic steps on its own timer, while the
/// sandbox must refill smoothly from an injectable <see cref="TimeProvider"/> so tests control time.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(double ratePerSecond, TimeProvider time)
    {
        _time = time;
        _ratePerSecond = ratePerSecond;
        _capacity = Math.Max(1, ratePerSecond);
        _tokens = _capacity;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes one token, or says how many whole seconds (at least 1) until one is available.</summary>
    public bool TryTake(out int retryAfterSeconds)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
            _lastRefill = now;
            if (elapsed > 0)
                _tokens = Math.Min(_capacity, _tokens + (elapsed * _ratePerSecond));

            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfterSeconds = 0;
                return true;
            }

            retryAfterSeconds = (int)Math.Max(1, Math.Ceiling((1 - _tokens) / _ratePerSecond));
            return false;
        }
    }
}
