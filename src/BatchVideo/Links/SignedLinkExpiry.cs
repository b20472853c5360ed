using System.Globalization;

namespace BatchVideo.Links;

/// <summary>
/// When a presigned link stops working. Read from the link when it says (an <c>expires</c>/<c>Expires</c>
/// Unix time, or S3's <c>X-Amz-Date</c> plus <c>X-Amz-Expires</c>), otherwise estimated as now plus the
/// configured lifetime: HeyGen does not document the v3 lifetime.
/// </summary>
public static class SignedLinkExpiry
{
    /// <summary>Unix milliseconds, or null when there is no link.</summary>
    public static long? Of(string? url, DateTimeOffset now, TimeSpan fallbackLifetime)
    {
        if (url is null)
        {
            return null;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var query = ParseQuery(uri.Query);
            if ((query.GetValueOrDefault("expires") ?? query.GetValueOrDefault("Expires")) is { } unix
                && long.TryParse(unix, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && seconds is > 0 and < 100_000_000_000)
            {
                return seconds * 1000;
            }

            if (query.GetValueOrDefault("X-Amz-Date") is { } date
                && query.GetValueOrDefault("X-Amz-Expires") is { } lifetime
                && DateTimeOffset.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
                && long.TryParse(lifetime, NumberStyles.None, CultureInfo.InvariantCulture, out var lifetimeSeconds))
            {
                return (signedAt + TimeSpan.FromSeconds(lifetimeSeconds)).ToUnixTimeMilliseconds();
            }
        }

        return (now + fallbackLifetime).ToUnixTimeMilliseconds();
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values.TryAdd(Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..]));
            }
        }

        return values;
    }
}
