namespace BatchVideo.Sandbox.Api;

/// <summary>What the fault dice decided for one API request.</summary>
internal enum RequestFault
{
    None,
    ServerError,
    SpuriousRateLimit,
}

/// <summary>Rolls the configured fault rates; seeded for repeatable runs.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly Random? _seeded;
    private readonly double _serverErrorRate;
    private readonly double _rateLimitFaultRate;
    private readonly double _hangRate;
    private readonly double _webhookDropRate;
    private readonly double _webhookDuplicateRate;

    public FaultInjector(SandboxOptions options)
    {
        _serverErrorRate = options.ServerErrorRate;
        _rateLimitFaultRate = options.RateLimitFaultRate;
        _hangRate = options.HangRate;
        _webhookDropRate = options.WebhookDropRate;
        _webhookDuplicateRate = options.WebhookDuplicateRate;
        // A seeded Random is not thread-safe, hence the lock around it; unseeded runs use the shared one.
        // Fault dice need repeatability, not unpredictability, so a non-cryptographic source is right.
#pragma warning disable CA5394
        _seeded = options.Seed is { } seed ? new Random(seed) : null;
#pragma warning restore CA5394
    }

    public RequestFault NextRequestFault()
    {
        if (_serverErrorRate > 0 && Roll() < _serverErrorRate)
            return RequestFault.ServerError;
        if (_rateLimitFaultRate > 0 && Roll() < _rateLimitFaultRate)
            return RequestFault.SpuriousRateLimit;
        return RequestFault.None;
    }

    public bool NextCreateHangs() => _hangRate > 0 && Roll() < _hangRate;

    public bool NextWebhookDropped() => _webhookDropRate > 0 && Roll() < _webhookDropRate;

    public bool NextWebhookDuplicated() => _webhookDuplicateRate > 0 && Roll() < _webhookDuplicateRate;

#pragma warning disable CA5394 // see the constructor: repeatable dice, not secrets
    private double Roll()
    {
        if (_seeded is null)
            return Random.Shared.NextDouble();
        lock (_lock)
            return _seeded.NextDouble();
    }
#pragma warning restore CA5394
}
