using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BatchVideo.HeyGen.Webhooks;

/// <summary>The outcome of checking one delivery: valid (with its event id), or why not.</summary>
public sealed record WebhookVerdict(bool IsValid, int StatusCode, string Reason, string? EventId)
{
    internal static WebhookVerdict Valid(string eventId) => new(true, 200, "valid", eventId);

    internal static WebhookVerdict Reject(int status, string reason) => new(false, status, reason, null);
}

/// <summary>
/// Checks that a delivery comes from HeyGen: <c>Heygen-Signature</c> must be the lowercase hex
/// HMAC-SHA256 of the raw body keyed with the endpoint secret (compared in constant time), and
/// <c>Heygen-Timestamp</c> must be within the tolerance of now, either way. The timestamp is not signed
/// (HeyGen signs only the body), so it only bounds how long a captured delivery stays fresh; replays
/// within that window are caught by the event id (see <see cref="WebhookProcessor"/>).
/// </summary>
public sealed class WebhookVerifier(IOptions<HeyGenOptions> options, TimeProvider time)
{
    public const string SignatureHeader = "Heygen-Signature";
    public const string TimestampHeader = "Heygen-Timestamp";
    public const string EventIdHeader = "Heygen-Event-Id";

    private const int SignatureBytes = 32;

    public WebhookVerdict Verify(ReadOnlySpan<byte> body, IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var settings = options.Value;
        if (body.Length > settings.WebhookMaxBodyBytes)
        {
            return WebhookVerdict.Reject(413, $"body of {body.Length} bytes is over the {settings.WebhookMaxBodyBytes}-byte limit");
        }

        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            // Our configuration, not the sender's fault: 500 makes HeyGen retry once it is fixed.
            return WebhookVerdict.Reject(500, "no webhook secret is configured (HeyGen__WebhookSecret)");
        }

        var signature = Header(headers, SignatureHeader);
        if (signature is null)
        {
            return WebhookVerdict.Reject(401, "the Heygen-Signature header is missing");
        }

        if (!Matches(signature, settings.WebhookSecret, body))
        {
            return WebhookVerdict.Reject(401, "the signature does not match the body");
        }

        if (!long.TryParse(Header(headers, TimestampHeader), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerdict.Reject(401, "the Heygen-Timestamp header is missing or not Unix seconds");
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62_135_596_800, 253_402_300_799));
        if (age > settings.WebhookTolerance)
        {
            return WebhookVerdict.Reject(401, $"the delivery is stale (sent {age.TotalSeconds:0} s ago; tolerance {settings.WebhookTolerance.TotalSeconds:0} s)");
        }

        if (-age > settings.WebhookTolerance)
        {
            return WebhookVerdict.Reject(401, $"the delivery is from the future ({-age.TotalSeconds:0} s ahead; tolerance {settings.WebhookTolerance.TotalSeconds:0} s)");
        }

        var eventId = Header(headers, EventIdHeader);
        return string.IsNullOrWhiteSpace(eventId) || eventId.Length > 200
            ? WebhookVerdict.Reject(400, "the Heygen-Event-Id header is missing or too long")
            : WebhookVerdict.Valid(eventId);
    }

    /// <summary>Constant-time comparison of the presented hex signature with the expected HMAC.</summary>
    private static bool Matches(string presented, string secret, ReadOnlySpan<byte> body)
    {
        Span<byte> expected = stackalloc byte[SignatureBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        Span<byte> given = stackalloc byte[SignatureBytes];
        // Wrong length or not hex: no match, and nothing about the expected value leaks from the timing.
        if (presented.Length != SignatureBytes * 2
            || Convert.FromHexString(presented.AsSpan(), given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != SignatureBytes)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, candidate) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }
}
