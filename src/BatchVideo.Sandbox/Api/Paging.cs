using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace BatchVideo.Sandbox.Api;

/// <summary>
/// Query parsing shared by the v3 list endpoints: <c>limit</c> with its documented range, and the
/// opaque <c>token</c> cursor (a position, base64url-wrapped so clients cannot be tempted to build one).
/// </summary>
internal static class Paging
{
    public static ApiError? TryReadLimit(HttpContext context, int defaultLimit, int maxLimit, out int limit)
    {
        limit = defaultLimit;
        var raw = context.Request.Query["limit"];
        if (raw.Count == 0)
        {
            return null;
        }

        if (raw.Count == 1 && int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit)
            && limit >= 1 && limit <= maxLimit)
        {
            return null;
        }

        return ApiError.InvalidParameter($"'limit' must be between 1 and {maxLimit}.", "limit");
    }

    /// <summary>Reads <c>token</c>; null position when absent.</summary>
    public static ApiError? TryReadToken(HttpContext context, string scope, out int? position)
    {
        position = null;
        var raw = context.Request.Query["token"];
        if (raw.Count == 0 || string.IsNullOrEmpty(raw[0]))
        {
            return null;
        }

        if (raw.Count == 1 && TryDecode(raw[0]!, scope, out var decoded))
        {
            position = decoded;
            return null;
        }

        return ApiError.InvalidParameter("'token' is not a valid pagination token.", "token");
    }

    public static string Encode(string scope, int position) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{scope}:{position}")));

    private static bool TryDecode(string token, string scope, out int position)
    {
        position = 0;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(bytes);
        return text.StartsWith(scope + ":", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(scope.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }
}
