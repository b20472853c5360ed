using System.Text.Json;
using System.Threading.RateLimiting;
using BatchVideo.Ledger;
using Microsoft.Extensions.Options;

namespace BatchVideo.Pages;

/// <summary>What became of one beacon, with the HTTP status it is answered with.</summary>
public enum BeaconOutcome
{
    /// <summary>Recorded (or, for an unknown or revoked token, silently not: the answer reveals nothing). 204.</summary>
    Accepted,

    /// <summary>Not a beacon: too long, not JSON, or not a kind and mark <see cref="PageEvents"/> knows. 400.</summary>
    Malformed,

    /// <summary>Over <c>Pages:BeaconsPerMinute</c> for this page, or serve's whole beacon capacity: dropped unstored. 429.</summary>
    Limited,
}

/// <summary>Told of a recipient's first view of their page, once per recipient whatever the number of serve nodes.</summary>
public interface IFirstViewObserver
{
    Task OnFirstViewAsync(PageLookup page, DateTimeOffset at, CancellationToken ct);
}

/// <summary>
/// The beacon route's work, free of its host: parses <c>{"kind": "progress", "percent": 50}</c>, limits beacons per
/// page (<c>Pages:BeaconsPerMinute</c>, a fixed window) and in total (a few writes at once per node, so a flood
/// cannot queue up ledger work or slow pages down), and records them in the ledger's bounded counters.
/// </summary>
public sealed class PageBeacons : IDisposable
{
    /// <summary>The longest beacon body read: the longest honest one is about 40 bytes.</summary>
    public const int MaxBodyBytes = 256;

    /// <summary>Ledger writes for beacons at once on one node; beyond that a beacon is dropped with 429.</summary>
    private const int ConcurrentWrites = 32;

    private readonly LedgerStore ledger;
    private readonly TimeProvider time;
    private readonly IReadOnlyList<IFirstViewObserver> observers;
    private readonly PartitionedRateLimiter<string> limiter;

    public PageBeacons(LedgerStore ledger, IOptions<PagesOptions> options, TimeProvider time, IEnumerable<IFirstViewObserver> observers)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.ledger = ledger;
        this.time = time;
        this.observers = [.. observers];
        var perMinute = options.Value.BeaconsPerMinute;
        limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<string, string>(token => RateLimitPartition.GetFixedWindowLimiter(
                token,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })),
            PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetConcurrencyLimiter(
                "ledger",
                _ => new ConcurrencyLimiterOptions { PermitLimit = ConcurrentWrites, QueueLimit = 0 })));
    }

    /// <summary>Handles one beacon for the page of <paramref name="token"/>; <paramref name="body"/> is at most <see cref="MaxBodyBytes"/>.</summary>
    public async Task<BeaconOutcome> HandleAsync(string token, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (!PageTokens.IsWellFormed(token))
        {
            return BeaconOutcome.Accepted; // a made-up address: nothing to record, nothing to tell
        }

        if (Parse(body) is not var (kind, percent))
        {
            return BeaconOutcome.Malformed;
        }

        using var lease = limiter.AttemptAcquire(token);
        if (!lease.IsAcquired)
        {
            return BeaconOutcome.Limited;
        }

        var at = time.GetUtcNow();
        if (await ledger.RecordPageEventAsync(token, kind, percent, at, ct) && observers.Count > 0
            && await ledger.FindPageAsync(token, ct) is { } page)
        {
            foreach (var observer in observers)
            {
                await observer.OnFirstViewAsync(page, at, ct);
            }
        }

        return BeaconOutcome.Accepted;
    }

    public void Dispose() => limiter.Dispose();

    /// <summary>The kind and mark of a well-formed beacon, or null.</summary>
    internal static (string Kind, int? Percent)? Parse(ReadOnlyMemory<byte> body)
    {
        if (body.Length is 0 or > MaxBodyBytes)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kindValue) || kindValue.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            int? percent = root.TryGetProperty("percent", out var mark) && mark.ValueKind == JsonValueKind.Number && mark.TryGetInt32(out var number) ? number : null;
            var kind = kindValue.GetString();
            return PageEvents.IsValid(kind, percent) ? (kind!, percent) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
