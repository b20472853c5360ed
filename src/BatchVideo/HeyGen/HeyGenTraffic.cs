using System.Collections.Concurrent;

namespace BatchVideo.HeyGen;

/// <summary>Every HTTP attempt sent to HeyGen, retries included, and how each ended: for the run report.</summary>
public sealed class HeyGenTraffic
{
    private readonly ConcurrentDictionary<string, long> outcomes = new(StringComparer.Ordinal);
    private long attempts;

    public long Attempts => Interlocked.Read(ref attempts);

    /// <summary>Attempts by HTTP status ("200", "429") or transport failure ("timeout", "connection").</summary>
    public IReadOnlyDictionary<string, long> Outcomes => new SortedDictionary<string, long>(outcomes, StringComparer.Ordinal);

    internal void Count(string outcome)
    {
        Interlocked.Increment(ref attempts);
        outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
    }
}

/// <summary>Counts each attempt inside the resilience pipeline, so retries are counted too.</summary>
internal sealed class HeyGenTrafficHandler(HeyGenTraffic traffic) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            traffic.Count(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
        catch (OperationCanceledException)
        {
            traffic.Count("timeout");
            throw;
        }
        catch (HttpRequestException)
        {
            traffic.Count("connection");
            throw;
        }
    }
}
