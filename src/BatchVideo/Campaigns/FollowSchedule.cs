namespace BatchVideo.Campaigns;

/// <summary>
/// When each followed video is asked about next: first when its render is likely done (its estimated length
/// times the render time per video second seen so far), then after a step that doubles up to the poll interval,
/// or every first step while the run is in a hurry. Learns the render time from each video seen finished, and
/// gives a video's render slot back when it is forgotten.
/// </summary>
/// <param name="interval">The poll interval (<c>HeyGen:PollInterval</c>): the longest step between two asks.</param>
internal sealed class FollowSchedule(TimeSpan interval, TimeProvider time, RunProgress progress, RenderSlots? slots)
{
    // The first check comes at this share of the expected render time, so a render a little faster than
    // the last ones is not waited for; the observed times then move the estimate down again.
    private const double EarlyShare = 0.8;

    // Weight of the newest observed render in the running estimate.
    private const double Smoothing = 0.3;

    // An ask this much later than its due time says nothing of when the render ended (issue 28's outage).
    private static readonly TimeSpan LateAsk = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private readonly PriorityQueue<Followed, long> due = new();
    private readonly Dictionary<string, Followed> following = new(StringComparer.Ordinal);

    // Observed render time per second of estimated video length (0 until a render was seen).
    private double renderPerVideoSecond;

    // True while a finished render noticed late costs time: checks do not back off then.
    private volatile bool hurry;

    /// <summary>Follows a video: first asked about when its render is likely done (its length times the render time per video second seen so far).</summary>
    public void Add(Followed followed)
    {
        lock (gate)
        {
            following[followed.VideoId] = followed;
            var first = followed.Length is { } known && renderPerVideoSecond > 0
                ? known * (renderPerVideoSecond * EarlyShare)
                : FirstStep(interval);
            followed.DueAt = time.GetTimestamp() + Ticks(first);
            due.Enqueue(followed, followed.DueAt);
        }
    }

    /// <summary>The video followed under <paramref name="videoId"/>, if any.</summary>
    public Followed? Find(string videoId)
    {
        lock (gate)
        {
            return following.GetValueOrDefault(videoId);
        }
    }

    /// <summary>The first step of the back-off: an eighth of the poll interval (at least 100 ms, at most the interval).</summary>
    public static TimeSpan FirstStep(TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Min(interval.Ticks, Math.Max(interval.Ticks / 8, TimeSpan.FromMilliseconds(100).Ticks)));

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    public bool IsEmpty
    {
        get
        {
            lock (gate)
            {
                return following.Count == 0;
            }
        }
    }

    /// <summary>The videos due now (or, in a <paramref name="hurry"/>, within one first step), at most <paramref name="max"/>.</summary>
    public List<Followed> TakeDue(bool hurry, int max)
    {
        this.hurry = hurry;
        var now = time.GetTimestamp() + (hurry ? Ticks(FirstStep(interval)) : 0);
        var batch = new List<Followed>();
        lock (gate)
        {
            while (batch.Count < max && due.TryPeek(out var video, out var at) && at <= now)
            {
                due.Dequeue();
                // A video the list already showed finished is no longer followed.
                if (following.TryGetValue(video.VideoId, out var current) && ReferenceEquals(current, video))
                {
                    batch.Add(video);
                }
            }
        }

        return batch;
    }

    /// <summary>
    /// Asks again after a step that doubles with each check, never more than the poll interval;
    /// after the first step while the run is in a hurry.
    /// </summary>
    public void Reschedule(Followed video)
    {
        var checks = hurry ? 1 : Math.Min(Interlocked.Increment(ref video.Checks), 16);
        var step = TimeSpan.FromTicks(Math.Min(interval.Ticks, FirstStep(interval).Ticks << (checks - 1)));
        var next = time.GetTimestamp() + Ticks(step);
        lock (gate)
        {
            video.DueAt = next;
            due.Enqueue(video, next);
        }
    }

    /// <summary>
    /// A render seen finished: its time feeds when the next videos are asked about first, and the ETA. It is
    /// counted up to when the question was asked, not answered: an answer that waited out a HeyGen outage would
    /// otherwise teach that renders take as long as the outage, and every later video would be asked about that
    /// much too late, holding its render slot (issue 28: a run crept back at 1-4 rows/s).
    /// </summary>
    public void Observe(Followed video, DateTimeOffset askedAt)
    {
        var took = askedAt - video.AddedAt;
        var dueAt = time.GetUtcNow() - time.GetElapsedTime(Volatile.Read(ref video.DueAt));
        if (took <= TimeSpan.Zero || askedAt - dueAt > LateAsk)
        {
            // Created after the list that found it finished was asked for, or asked long after it was due (the
            // follower was waiting out an outage): the render may have ended long before, nothing to learn.
            return;
        }

        progress.OnRenderObserved(took);
        if (video.Length is not { TotalSeconds: > 0 } length)
        {
            return;
        }

        var ratio = took / length;
        lock (gate)
        {
            renderPerVideoSecond = renderPerVideoSecond > 0 ? ((1 - Smoothing) * renderPerVideoSecond) + (Smoothing * ratio) : ratio;
        }
    }

    /// <summary>Stops following a video and gives its render slot back; false when it was no longer followed.</summary>
    public bool Forget(Followed followed)
    {
        bool forgotten;
        lock (gate)
        {
            forgotten = following.TryGetValue(followed.VideoId, out var current) && ReferenceEquals(current, followed)
                && following.Remove(followed.VideoId);
        }

        if (forgotten && followed.Slot is { } slot)
        {
            slots?.Return(slot);
        }

        return forgotten;
    }

}

    /// <summary>
/// One video in flight; <see cref="AddedAt"/> (its submission, or when it was first followed) bounds how
/// far back the list is read for it and how long a 404 is taken for "not visible yet".
/// </summary>
internal sealed record Followed(string Key, string VideoId, long Line, DateTimeOffset AddedAt, RenderSlot? Slot, TimeSpan? Length)
{
    /// <summary>Status checks so far that found it still rendering (the back-off's exponent).</summary>
    public int Checks;

    /// <summary>The video of a Video Agent session followed by its stand-in id, once the session named it.</summary>
    public string? SessionVideo;

    /// <summary>When it is next due to be asked about (a <see cref="TimeProvider"/> timestamp).</summary>
    public long DueAt;

    public Sources.SourceRow? Row { get; init; }
}
