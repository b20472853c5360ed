namespace BatchVideo.Sandbox;

/// <summary>Thread-safe counters of what the sandbox has seen and done, for tests and benchmarks.</summary>
public sealed class SandboxStats
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _fieldsInNoSchema = new(StringComparer.Ordinal);
    private long _createRequests;
    private long _videosCreated;
    private long _idempotentReplays;
    private long _inProgressConflicts;
    private long _rateLimited;
    private long _injectedFaults;
    private long _statusRequests;
    private long _totalRequests;
    private long _fileRequests;
    private long _webhookAttempts;
    private long _webhooksDelivered;
    private long _callbacksDelivered;
    private long _webhooksDropped;
    private long _webhooksAbandoned;
    private long _webhookDuplicates;
    private long _jobLimitRefusals;
    private long _maxUnfinishedJobs;

    /// <summary><c>POST /v3/videos</c> requests received, whatever their outcome.</summary>
    public long CreateRequests => Interlocked.Read(ref _createRequests);

    /// <summary>Distinct videos actually created: what a customer would pay for.</summary>
    public long VideosCreated => Interlocked.Read(ref _videosCreated);

    /// <summary>Creates answered from the idempotency store without creating anything.</summary>
    public long IdempotentReplays => Interlocked.Read(ref _idempotentReplays);

    /// <summary>409 <c>request_in_progress</c> answers.</summary>
    public long InProgressConflicts => Interlocked.Read(ref _inProgressConflicts);

    /// <summary>429 answers from the request-rate limiter or the concurrent-job limit (injected 429s excluded).</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Creates refused with 429 because the account's concurrent-job cap was reached.</summary>
    public long JobLimitRefusals => Interlocked.Read(ref _jobLimitRefusals);

    /// <summary>The most videos unfinished at once (the account's other work included), when the cap is on.</summary>
    public long MaxUnfinishedJobs => Interlocked.Read(ref _maxUnfinishedJobs);

    /// <summary>Injected faults: 500s, spurious 429s and hung create responses.</summary>
    public long InjectedFaults => Interlocked.Read(ref _injectedFaults);

    /// <summary><c>GET /v3/videos/{video_id}</c> requests received.</summary>
    public long StatusRequests => Interlocked.Read(ref _statusRequests);

    /// <summary>Every HTTP request the server received: API, file downloads, health checks and unknown routes.</summary>
    public long TotalRequests => Interlocked.Read(ref _totalRequests);

    /// <summary><c>GET /files/...</c> requests received (signed downloads), whatever their outcome.</summary>
    public long FileRequests => Interlocked.Read(ref _fileRequests);

    /// <summary>Webhook and callback POSTs sent, first tries, retries and duplicates together.</summary>
    public long WebhookAttempts => Interlocked.Read(ref _webhookAttempts);

    /// <summary>Signed deliveries to registered endpoints that got a 2xx in time.</summary>
    public long WebhooksDelivered => Interlocked.Read(ref _webhooksDelivered);

    /// <summary>Unsigned deliveries to a create's callback_url that got a 2xx in time.</summary>
    public long CallbacksDelivered => Interlocked.Read(ref _callbacksDelivered);

    /// <summary>Deliveries lost on purpose by the drop fault (never sent).</summary>
    public long WebhooksDropped => Interlocked.Read(ref _webhooksDropped);

    /// <summary>Deliveries given up after the retry horizon.</summary>
    public long WebhooksAbandoned => Interlocked.Read(ref _webhooksAbandoned);

    /// <summary>Successful deliveries sent a second time by the duplicate fault.</summary>
    public long WebhookDuplicates => Interlocked.Read(ref _webhookDuplicates);

    /// <summary>Body fields no schema names that were accepted and ignored, by dotted path, with how often each came.</summary>
    public IReadOnlyDictionary<string, long> FieldsInNoSchema => new Dictionary<string, long>(_fieldsInNoSchema, StringComparer.Ordinal);

    internal void CountFieldInNoSchema(string field) => _fieldsInNoSchema.AddOrUpdate(field, 1, (_, n) => n + 1);

    internal void CountCreateRequest() => Interlocked.Increment(ref _createRequests);

    internal void CountVideoCreated() => Interlocked.Increment(ref _videosCreated);

    internal void CountIdempotentReplay() => Interlocked.Increment(ref _idempotentReplays);

    internal void CountInProgressConflict() => Interlocked.Increment(ref _inProgressConflicts);

    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);

    internal void CountJobLimitRefusal() => Interlocked.Increment(ref _jobLimitRefusals);

    internal void ObserveUnfinishedJobs(long count)
    {
        var seen = Interlocked.Read(ref _maxUnfinishedJobs);
        while (count > seen && Interlocked.CompareExchange(ref _maxUnfinishedJobs, count, seen) != seen)
            seen = Interlocked.Read(ref _maxUnfinishedJobs);
    }

    internal void CountInjectedFault() => Interlocked.Increment(ref _injectedFaults);

    internal void CountStatusRequest() => Interlocked.Increment(ref _statusRequests);

    internal void CountRequest() => Interlocked.Increment(ref _totalRequests);

    internal void CountFileRequest() => Interlocked.Increment(ref _fileRequests);

    internal void CountWebhookAttempt() => Interlocked.Increment(ref _webhookAttempts);

    internal void CountWebhookDelivered() => Interlocked.Increment(ref _webhooksDelivered);

    internal void CountCallbackDelivered() => Interlocked.Increment(ref _callbacksDelivered);

    internal void CountWebhookDropped() => Interlocked.Increment(ref _webhooksDropped);

    internal void CountWebhookAbandoned() => Interlocked.Increment(ref _webhooksAbandoned);

    internal void CountWebhookDuplicate() => Interlocked.Increment(ref _webhookDuplicates);
}
