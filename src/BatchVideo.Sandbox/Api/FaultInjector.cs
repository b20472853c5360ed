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
    private readonly Lock gate = new();
    private readonly Random? seeded;
    private readonly double serverErrorRate;
    private readonly double rateLimitFaultRate;
    private readonly double hangRate;
    private readonly double webhookDropRate;
    private readonly double webhookDuplicateRate;

    public FaultInjector(SandboxOptions options)
    {
        serverErrorRate = options.ServerErrorRate;
        rateLimitFaultRate = options.RateLimitFaultRate;
        hangRate = options.HangRate;
        webhookDropRate = options.WebhookDropRate;
        webhookDuplicateRate = options.WebhookDuplicateRate;
        // A seeded Random is not thread-safe, hence the lock around it; unseeded runs use the shared one.
        // Fault dice need repeatability, not unpredictability, so a non-cryptographic source is right.
#pragma warning disable CA5394
        seeded = options.Seed is { } seed ? new Random(seed) : null;
#pragma warning restore CA5394
    }

    public RequestFault NextRequestFault()
    {
        if (serverErrorRate > 0 && Roll() < serverErrorRate)
        {
            return RequestFault.ServerError;
        }

        if (rateLimitFaultRate > 0 && Roll() < rateLimitFaultRate)
        {
            return RequestFault.SpuriousRateLimit;
        }

        return RequestFault.None;
    }

    public bool NextCreateHangs() => hangRate > 0 && Roll() < hangRate;

    public bool NextWebhookDropped() => webhookDropRate > 0 && Roll() < webhookDropRate;

    public bool NextWebhookDuplicated() => webhookDuplicateRate > 0 && Roll() < webhookDuplicateRate;

#pragma warning disable CA5394 // see the constructor: repeatable dice, not secrets
    private double Roll()
    {
        if (seeded is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (gate)
        {
            return seeded.NextDouble();
        }
    }
#pragma warning restore CA5394
}
