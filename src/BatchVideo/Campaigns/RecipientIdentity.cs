using System.Security.Cryptography;
using System.Text;
using BatchVideo.Ledger;

namespace BatchVideo.Campaigns;

/// <summary>
/// Stable names for one recipient in one campaign. The same inputs always give the same marker and
/// idempotency key, so a replay after a crash (or a lost ledger) is recognised by HeyGen, and a
/// video can be found again by its title after the 24-hour idempotency window.
/// </summary>
public static class RecipientIdentity
{
    /// <summary>"bv-" and 20 hex digits of SHA-256(campaign, key): searchable in titles, no personal data.</summary>
    public static string Marker(string campaign, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(campaign + "\u001f" + key));
        return "bv-" + Convert.ToHexStringLower(hash)[..20];
    }

    /// <summary>Matches HeyGen's Idempotency-Key pattern ^[A-Za-z0-9_\-:.]{1,255}$.</summary>
    /// <remarks>
    /// A key per type and recipient: <c>avatar</c> keeps the form it always had (ledgers hold such keys), the
    /// other types add theirs, so a campaign switched to another type never replays the old type's answer.
    /// </remarks>
    public static string IdempotencyKey(string campaign, string key, int attempt, string type = VideoTypes.Avatar) =>
        VideoTypes.Named(type).IdempotencyKey(Marker(campaign, key), attempt);

    /// <summary>The Idempotency-Key the next create for this recipient carries, given what the ledger holds.</summary>
    /// <remarks>A new recipient starts at attempt 1; an unanswered create replays its own key; a failed one gets the next attempt.</remarks>
    public static string NextIdempotencyKey(string campaign, string key, LedgerEntry? entry, string type = VideoTypes.Avatar) => entry switch
    {
        null => IdempotencyKey(campaign, key, 1, type),
        { State: LedgerState.Failed } => IdempotencyKey(campaign, key, entry.Attempt + 1, type),
        _ => entry.IdempotencyKey,
    };

    /// <summary>The key of the attempt after the one <paramref name="usedKey"/> (from <see cref="IdempotencyKey"/>) names.</summary>
    public static string FollowingKey(string usedKey)
    {
        ArgumentNullException.ThrowIfNull(usedKey);
        var at = usedKey.LastIndexOf("-a", StringComparison.Ordinal);
        return $"{usedKey[..at]}-a{int.Parse(usedKey[(at + 2)..], System.Globalization.CultureInfo.InvariantCulture) + 1}";
    }

    public static string Title(string? renderedTitle, string campaign, string marker) =>
        string.IsNullOrWhiteSpace(renderedTitle) ? $"{campaign} [{marker}]" : $"{renderedTitle} [{marker}]";
}
