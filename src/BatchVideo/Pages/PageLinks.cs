namespace BatchVideo.Pages;

/// <summary>Where a recipient's page is: <c>&lt;Pages:PublicBaseUrl&gt;/v/&lt;token&gt;</c>.</summary>
public static class PageLinks
{
    /// <summary>The path prefix serve answers pages on (GET) and takes their beacons on (POST to the same path).</summary>
    public const string PagePrefix = "/v/";

    /// <param name="publicBase">The deployment's public address (<c>Pages:PublicBaseUrl</c>); a path in it is kept, for a proxy that strips it.</param>
    public static Uri Url(Uri publicBase, string token)
    {
        ArgumentNullException.ThrowIfNull(publicBase);
        ArgumentException.ThrowIfNullOrEmpty(token);
        var root = publicBase.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(root + PagePrefix + Uri.EscapeDataString(token));
    }
}
