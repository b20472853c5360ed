using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using BatchVideo.Sandbox.State;

namespace BatchVideo.Sandbox.Videos;

/// <summary>Why a create did or did not happen.</summary>
internal enum CreateOutcome
{
    Created,
    InsufficientCredit,
    JobLimitReached,
}

/// <summary>The result of <see cref="VideoStore.TryCreate"/>.</summary>
internal readonly record struct CreateResult(CreateOutcome Outcome, SandboxVideo? Video, int RetryAfterSeconds, double Cost = 0, double Remaining = 0);

/// <summary>
/// Every video the sandbox accepted, in memory: by id for status calls, and as an append-only log in
/// creation order for listing. Creating is the one place that takes a lock, because the credit check,
/// the concurrent-job check and the insert must be one step. With a journal, each create and top-up
/// is also written there before it is answered, so the account outlives the process.
/// </summary>
internal sealed class VideoStore(SandboxOptions options, SandboxStats stats, SandboxJournal? journal = null)
{
    private readonly Lock createLock = new();
    private readonly ConcurrentDictionary<string, SandboxVideo> byId = new(StringComparer.Ordinal);

    // Finish times of videos still rendering, soonest first (render times differ with script length).
    private readonly PriorityQueue<DateTimeOffset, DateTimeOffset> unfinished = new();
    private readonly Random jitter = options.Seed is { } seed ? new Random(seed) : new Random();

    // Append-only log read without the lock: a reader takes the count first, then the array, and the
    // writer publishes a grown array before the count that needs it.
    private SandboxVideo[] log = new SandboxVideo[1024];
    private int count;
    private double spent;

    public double RemainingCredits
    {
        get
        {
            lock (createLock)
            {
                return options.RemainingCredits - spent;
            }
        }
    }

    /// <summary>Adds to the wallet, as a top-up in HeyGen's app would (tests of "fixed, then sent again").</summary>
    public void TopUp(double amount)
    {
        lock (createLock)
        {
            spent -= amount;
            journal?.Append(new JournalLine { TopUp = amount });
        }
    }

    /// <summary>
    /// Takes <paramref name="cost"/> from the wallet for something that is not a video (a speech preview); false, and
    /// nothing taken, when the wallet holds less. Journaled as a negative top-up, so the account remembers it.
    /// </summary>
    public bool TryCharge(double cost, out double remaining)
    {
        lock (createLock)
        {
            remaining = options.RemainingCredits - spent;
            if (remaining < cost)
            {
                return false;
            }

            spent += cost;
            remaining -= cost;
            journal?.Append(new JournalLine { TopUp = -cost });
            return true;
        }
    }

    /// <summary>Puts back a video (and its charge) an earlier process of this account accepted.</summary>
    public void Restore(SandboxVideo video, double cost)
    {
        lock (createLock)
        {
            if (options.MaxConcurrentJobs > 0 && video.FinishesAt > options.TimeProvider.GetUtcNow())
            {
                unfinished.Enqueue(video.FinishesAt, video.FinishesAt);
            }

            Append(video);
            byId[video.Id] = video;
            spent += cost;
        }
    }

    /// <summary>Puts back a top-up made by an earlier process of this account.</summary>
    public void RestoreTopUp(double amount)
    {
        lock (createLock)
        {
            spent -= amount;
        }
    }

    /// <summary>
    /// What a video costs in the wallet's unit: USD by the second at its engine's and resolution's rate, or
    /// a fixed charge plus credits per minute of its estimated duration.
    /// </summary>
    public double CostOf(CreateVideoRequest request)
    {
        var seconds = request.DurationSeconds ?? VideoLifecycle.EstimateDuration(request.Script);
        if (options.WalletCurrency != "usd")
        {
            return options.CreditsPerVideo + (seconds / 60 * options.CreditsPerMinute);
        }
        // A flat price per video where HeyGen bills one (Cinematic Avatar), whatever the length.
        if (options.UsdPerVideo.TryGetValue(request.Kind, out var flat))
        {
            return flat;
        }
        // A rate by type for the prompt types (video_agent; cinematic_avatar/<resolution>), else by engine and resolution.
        var rateKey = request.Kind switch
        {
            PromptVideoValidator.Agent => PromptVideoValidator.Agent,
            PromptVideoValidator.Cinematic => $"{PromptVideoValidator.Cinematic}/{request.Resolution ?? "720p"}",
            _ => $"{request.Engine ?? "avatar_iv"}/{request.Resolution ?? "1080p"}",
        };
        var rate = options.UsdPerSecond.TryGetValue(rateKey, out var exact)
            ? exact
            : options.UsdPerSecond.GetValueOrDefault("avatar_iv/1080p");
        return seconds * rate;
    }

    public CreateResult TryCreate(CreateVideoRequest request, string? idempotencyKey)
    {
        var id = Guid.NewGuid().ToString("N");
        lock (createLock)
        {
            var now = options.TimeProvider.GetUtcNow();
            var cost = CostOf(request);
            if (options.RemainingCredits - spent < cost)
            {
                return new CreateResult(CreateOutcome.InsufficientCredit, null, 0, cost, options.RemainingCredits - spent);
            }

            if (options.MaxConcurrentJobs > 0)
            {
                while (unfinished.Count > 0 && unfinished.Peek() <= now)
                {
                    unfinished.Dequeue();
                }

                if (unfinished.Count + options.OtherJobs >= options.MaxConcurrentJobs)
                {
                    stats.CountJobLimitRefusal();
                    return new CreateResult(CreateOutcome.JobLimitReached, null, RetryAfterSeconds(now));
                }
            }

            var video = new SandboxVideo(id, request.Title, request.Script, request.AvatarId, request.VoiceId!, idempotencyKey, now)
            {
                FinishesAt = now + RenderTimeOf(request.DurationSeconds ?? VideoLifecycle.EstimateDuration(request.Script)),
                FailsRendering = request.Script.Contains(options.FailRenderMarker, StringComparison.Ordinal),
                CallbackId = request.CallbackId,
                CallbackUrl = request.CallbackUrl,
                Resolution = request.Resolution,
                AspectRatio = request.AspectRatio,
                OutputFormat = request.OutputFormat,
                HasCaptions = request.HasCaptions,
                BurnsInCaptions = request.BurnsInCaptions,
                Kind = request.Kind,
                DurationSeconds = request.DurationSeconds,
                TemplateId = request.TemplateId,
            };
            if (options.MaxConcurrentJobs > 0 && video.FinishesAt > now)
            {
                unfinished.Enqueue(video.FinishesAt, video.FinishesAt);
                stats.ObserveUnfinishedJobs(unfinished.Count + options.OtherJobs);
            }

            // Written before anyone can learn the id: a video the account answered for is never forgotten.
            journal?.Append(new JournalLine { Video = video, Cost = cost });
            Append(video);
            byId[id] = video;
            spent += cost;
            stats.CountVideoCreated();
            return new CreateResult(CreateOutcome.Created, video, 0);
        }
    }

    /// <summary>Base time, plus time per second of estimated video, spread by the jitter.</summary>
    private TimeSpan RenderTimeOf(double videoSeconds)
    {
        var time = options.RenderTime + (options.RenderTimePerVideoSecond * videoSeconds);
        return options.RenderJitter > 0 ? time * (1 + (options.RenderJitter * ((jitter.NextDouble() * 2) - 1))) : time;
    }

    /// <summary>A job-cap 429's Retry-After: fixed, or until the soonest unfinished video ends (other work never ends).</summary>
    private int RetryAfterSeconds(DateTimeOffset now)
    {
        var wait = options.JobLimitRetryAfter
            ?? (unfinished.Count > 0 ? unfinished.Peek() - now : options.RenderTime);
        return (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
    }

    public bool TryGet(string id, [NotNullWhen(true)] out SandboxVideo? video) => byId.TryGetValue(id, out video);

    public IReadOnlyList<SandboxVideo> Snapshot()
    {
        var count = Volatile.Read(ref this.count);
        var log = Volatile.Read(ref this.log);
        return log.AsSpan(0, count).ToArray();
    }

    /// <summary>
    /// One page, newest first, starting at log position <paramref name="from"/> (inclusive, scanning down);
    /// the next position is null when nothing older matches.
    /// </summary>
    public (List<SandboxVideo> Page, int? Next) ListNewestFirst(int? from, string? titleContains, string? folderId, int limit)
    {
        var count = Volatile.Read(ref this.count);
        var log = Volatile.Read(ref this.log);
        var page = new List<SandboxVideo>(Math.Min(limit, count));
        // The sandbox has no folders, so a folder filter matches nothing.
        if (!string.IsNullOrEmpty(folderId))
        {
            return (page, null);
        }

        for (var i = Math.Min(from ?? count - 1, count - 1); i >= 0; i--)
        {
            var video = log[i];
            if (!string.IsNullOrEmpty(titleContains)
                && (video.Title is null || !video.Title.Contains(titleContains, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (page.Count == limit)
            {
                return (page, i);
            }

            page.Add(video);
        }

        return (page, null);
    }

    private void Append(SandboxVideo video)
    {
        var log = this.log;
        if (count == log.Length)
        {
            var grown = new SandboxVideo[log.Length * 2];
            Array.Copy(log, grown, log.Length);
            Volatile.Write(ref this.log, grown);
            log = grown;
        }

        log[count] = video;
        Volatile.Write(ref count, count + 1);
    }
}
