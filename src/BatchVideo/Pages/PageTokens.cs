using System.Buffers.Text;
using System.Security.Cryptography;

namespace BatchVideo.Pages;

/// <summary>
/// A recipient page's token: 192 random bits from the operating system's generator, base64url (32 characters).
/// Not derived from the key, the e-mail address or the video id, so a page's address reveals nothing and
/// cannot be guessed from anything a recipient knows.
/// </summary>
public static class PageTokens
{
    /// <summary>Random bytes per token: 192 bits, above the 128 the issue asks for.</summary>
    public const int Bytes = 24;

    /// <summary>A token's length in characters.</summary>
    public const int Length = Bytes * 4 / 3;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>
    /// Whether <paramref name="text"/> has a token's shape, checked before any ledger read so a scan of made-up
    /// addresses costs nothing.
    /// </summary>
    public static bool IsWellFormed(string? text) =>
        text is { Length: Length } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
