using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BatchVideo.Sandbox.Files;

/// <summary>
/// Mints and checks presigned file links: HMAC-SHA256 over file name and expiry with the account's
/// secret: one per server, or the one its journal remembers, so that a link written by an earlier
/// process of the same account still validates and a link of another account never does.
/// </summary>
internal sealed class SignedUrls(TimeSpan lifetime, byte[] secret)
{
    private readonly byte[] secret = secret;
    private string baseAddress = "http://127.0.0.1/";

    /// <summary>Set once the port is known, before the server is handed to anyone.</summary>
    public Uri BaseAddress
    {
        set => Volatile.Write(ref baseAddress, value.AbsoluteUri);
    }

    /// <summary>
    /// The video's stable page (not presigned, never expires), served by this server at <c>/video/{id}</c>
    /// so that <c>batchvideo links check</c> can open it; HeyGen's own is <c>https://app.heygen.com/video/{id}</c>.
    /// </summary>
    public string PageFor(string videoId) => Volatile.Read(ref baseAddress) + "video/" + videoId;

    public string For(MediaFile file, DateTimeOffset now)
    {
        var expires = (now + lifetime).ToUnixTimeSeconds();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Volatile.Read(ref baseAddress)}files/{file.FileName}?expires={expires}&signature={Sign(file.FileName, expires)}");
    }

    /// <summary>False when the signature does not match or the link has expired.</summary>
    public bool IsValid(string fileName, string? expires, string? signature, DateTimeOffset now)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || signature is null
            || now.ToUnixTimeSeconds() > expiresAt)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(fileName, expiresAt));
        var presented = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private string Sign(string fileName, long expires)
    {
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{fileName}\n{expires}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, message));
    }
}
