namespace BatchVideo.Sandbox;

/// <summary>Thread-safe counters of what the sandbox has seen and done, for tests and benchmarks.</summary>
public sealed class SandboxStats
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> fieldsInNoSchema = new(StringComparer.Ordinal);
    private long createRequests;
    private long videosCreated;
    private long idempotentReplays;
    private long inProgressConflicts;
    private long rateLimited;
    private long injectedFaults;
    private long statusRequests;
    private long totalRequests;
    private long fileRequests;
    private long webhookAttempts;
    private long webhooksDelivered;
    private long callbacksDelivered;
    private long webhooksDropped;
    private long webhooksAbandoned;
    private long webhookDuplicates;
    private long jobLimitRefusals;
    private long maxUnfinishedJobs;

    /// <summary><c>POST /v3/videos</c> requests received, whatever their outcome.</summary>
    public long CreateRequests => Interlocked.Read(ref createRequests);

    /// <summary>Distinct videos actually created: what a customer would pay for.</summary>
    public long VideosCreated => Interlocked.Read(ref videosCreated);

    /// <summary>Creates answered from the idempotency store without creating anything.</summary>
    public long IdempotentReplays => Interlocked.Read(ref idempotentReplays);

    /// <summary>409 <c>request_in_progress</c> answers.</summary>
    public long InProgressConflicts => Interlocked.Read(ref inProgressConflicts);

    /// <summary>429 answers from the request-rate limiter or the concurrent-job limit (injected 429s excluded).</summary>
    public long RateLimited => Interlocked.Read(ref rateLimited);

    /// <summary>Creates refused with 429 because the account's concurrent-job cap was reached.</summary>
    public long JobLimitRefusals => Interlocked.Read(ref jobLimitRefusals);

    /// <summary>The most videos unfinished at once (the account's other work included), when the cap is on.</summary>
    public long MaxUnfinishedJobs => Interlocked.Read(ref maxUnfinishedJobs);

    /// <summary>Injected faults: 500s, spurious 429s and hung create responses.</summary>
    public long InjectedFaults => Interlocked.Read(ref injectedFaults);

    /// <summary><c>GET /v3/videos/{video_id}</c> requests received.</summary>
    public long StatusRequests => Interlocked.Read(ref statusRequests);

    /// <summary>Every HTTP request the server received: API, file downloads, health checks and unknown routes.</summary>
    public long TotalRequests => Interlocked.Read(ref totalRequests);

    /// <summary><c>GET /files/...</c> requests received (signed downloads), whatever their outcome.</summary>
    public long FileRequests => Interlocked.Read(ref fileRequests);

    /// <summary>Webhook and callback POSTs sent, first tries, retries and duplicates together.</summary>
    public long WebhookAttempts => Interlocked.Read(ref webhookAttempts);

    /// <summary>Signed deliveries to registered endpoints that got a 2xx in time.</summary>
    public long WebhooksDelivered => Interlocked.Read(ref webhooksDelivered);

    /// <summary>Unsigned deliveries to a create's callback_url that got a 2xx in time.</summary>
    public long CallbacksDelivered => Interlocked.Read(ref callbacksDelivered);

    /// <summary>Deliveries lost on purpose by the drop fault (never sent).</summary>
    public long WebhooksDropped => Interlocked.Read(ref webhooksDropped);

    /// <summary>Deliveries given up after the retry horizon.</summary>
    public long WebhooksAbandoned => Interlocked.Read(ref webhooksAbandoned);

    /// <summary>Successful deliveries sent a second time by the duplicate fault.</summary>
    public long WebhookDuplicates => Interlocked.Read(ref webhookDuplicates);

    /// <summary>Body fields no schema names that were accepted and ignored, by dotted path, with how often each came.</summary>
    public IReadOnlyDictionary<string, long> FieldsInNoSchema => new Dictionary<string, long>(fieldsInNoSchema, StringComparer.Ordinal);

    internal void CountFieldInNoSchema(string field) => fieldsInNoSchema.AddOrUpdate(field, 1, (_, n) => n + 1);

    internal void CountCreateRequest() => Interlocked.Increment(ref createRequests);

    internal void CountVideoCreated() => Interlocked.Increment(ref videosCreated);

    internal void CountIdempotentReplay() => Interlocked.Increment(ref idempotentReplays);

    internal void CountInProgressConflict() => Interlocked.Increment(ref inProgressConflicts);

    internal void CountRateLimited() => Interlocked.Increment(ref rateLimited);

    internal void CountJobLimitRefusal() => Interlocked.Increment(ref jobLimitRefusals);

    internal void ObserveUnfinishedJobs(long count)
    {
        var seen = Interlocked.Read(ref maxUnfinishedJobs);
        while (count > seen && Interlocked.CompareExchange(ref maxUnfinishedJobs, count, seen) != seen)
        {
            seen = Interlocked.Read(ref maxUnfinishedJobs);
        }
    }

    internal void CountInjectedFault() => Interlocked.Increment(ref injectedFaults);

    internal void CountStatusRequest() => Interlocked.Increment(ref statusRequests);

    internal void CountRequest() => Interlocked.Increment(ref totalRequests);

    internal void CountFileRequest() => Interlocked.Increment(ref fileRequests);

    internal void CountWebhookAttempt() => Interlocked.Increment(ref webhookAttempts);

    internal void CountWebhookDelivered() => Interlocked.Increment(ref webhooksDelivered);

    internal void CountCallbackDelivered() => Interlocked.Increment(ref callbacksDelivered);

    internal void CountWebhookDropped() => Interlocked.Increment(ref webhooksDropped);

    internal void CountWebhookAbandoned() => Interlocked.Increment(ref webhooksAbandoned);

    internal void CountWebhookDuplicate() => Interlocked.Increment(ref webhookDuplicates);
}
