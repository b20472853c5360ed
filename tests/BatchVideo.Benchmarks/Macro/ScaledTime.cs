using System.Diagnostics;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// A clock that runs <c>speedUp</c> times faster than the wall clock, for the sandbox and the client alike:
/// renders, Retry-After, poll intervals and pauses all shrink together, so minutes of a real account's
/// pace fit in seconds and the ratios (time against the ideal) keep their meaning. Overheads that do not
/// scale (HTTP, CPU) weigh <c>speedUp</c> times more than they would at real speed.
/// </summary>
internal sealed class ScaledTime(double speedUp) : TimeProvider
{
    private readonly DateTimeOffset start = DateTimeOffset.UtcNow;
    private readonly long origin = Stopwatch.GetTimestamp();

    public double SpeedUp => speedUp;

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override long GetTimestamp() => origin + (long)((Stopwatch.GetTimestamp() - origin) * speedUp);

    public override DateTimeOffset GetUtcNow() => start + (Stopwatch.GetElapsedTime(origin) * speedUp);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, ToWall(dueTime), ToWall(period)), this);

    /// <summary>A span of this clock in wall-clock time.</summary>
    public TimeSpan ToWall(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan ? span : TimeSpan.FromTicks((long)(span.Ticks / speedUp));

    private sealed class ScaledTimer(ITimer inner, ScaledTime time) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(time.ToWall(dueTime), time.ToWall(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
