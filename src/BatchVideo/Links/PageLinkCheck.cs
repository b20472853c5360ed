using System.Net;
using System.Text.RegularExpressions;

namespace BatchVideo.Links;

/// <summary>What a recipient meets when opening a page link without a HeyGen login.</summary>
public enum PageVerdict
{
    /// <summary>The page carries a video (a <c>&lt;video&gt;</c>, an <c>og:video</c> tag or an .mp4 source).</summary>
    Plays,

    /// <summary>A sign-in page, a redirect to one, or 401/403.</summary>
    AsksForLogin,

    /// <summary>Neither could be told (another status, a page with no video, no answer).</summary>
    Unclear,
}

/// <summary>One page link's answer: the verdict, the final status and address, and why.</summary>
public sealed record PageCheckResult(string Url, PageVerdict Verdict, int? Status, string? FinalUrl, string Reason);

/// <summary>
/// Opens a stored page link (<c>video_page_url</c> or a share page) as a recipient would: no API key,
/// redirects followed, a short timeout; then tells from the answer whether the video plays or a login
/// is asked for. HeyGen does not document which its pages do (heygen-v3-audit.md §3.15), hence a check.
/// </summary>
public sealed partial class PageLinkCheck(HttpClient http)
{
    /// <summary>How long one page may take; a recipient would not wait longer either.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    // Enough of a page to find its player or its sign-in form; the rest is not read.
    private const int MaxBodyChars = 256 * 1024;

    [GeneratedRegex(@"/(log-?in|sign-?in|signin|auth|sso|oauth)(/|\?|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LoginPath();

    [GeneratedRegex(@"<input[^>]*type\s*=\s*[""']?password", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordField();

    [GeneratedRegex(@"\b(log|sign)[\s-]?in\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LoginWords();

    [GeneratedRegex(@"<video[\s>]|property\s*=\s*[""']og:video|\.mp4\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VideoMarkup();

    public async Task<PageCheckResult> CheckAsync(string url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            return new PageCheckResult(url, PageVerdict.Unclear, null, null, "not an http(s) address");
        try
        {
            using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, ct);
            var finalUrl = response.RequestMessage?.RequestUri;
            var body = await ReadStartAsync(response.Content, ct);
            return Classify(url, (int)response.StatusCode, finalUrl, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new PageCheckResult(url, PageVerdict.Unclear, null, null, e is TaskCanceledException ? "no answer in time" : "could not connect: " + e.Message);
        }
    }

    /// <summary>The verdict from what came back; no I/O, so samples can be checked directly.</summary>
    public static PageCheckResult Classify(string url, int status, Uri? finalUrl, string? mediaType, string body)
    {
        ArgumentNullException.ThrowIfNull(url);
        body ??= "";
        var final = finalUrl?.AbsoluteUri;
        if (status is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden)
            return new(url, PageVerdict.AsksForLogin, status, final, $"HTTP {status}");
        if (finalUrl is not null && LoginPath().IsMatch(finalUrl.AbsolutePath))
            return new(url, PageVerdict.AsksForLogin, status, final, "redirected to a sign-in page");
        if (status is >= 200 and < 300)
        {
            if (mediaType is { } type && type.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
                return new(url, PageVerdict.Plays, status, final, "the link is the video itself");
            // A player wins over a "log in" link in a page's header; a password field does not.
            if (PasswordField().IsMatch(body))
                return new(url, PageVerdict.AsksForLogin, status, final, "the page holds a password field");
            if (VideoMarkup().IsMatch(body))
                return new(url, PageVerdict.Plays, status, final, "the page carries a video");
            if (LoginWords().IsMatch(body))
                return new(url, PageVerdict.AsksForLogin, status, final, "the page asks to log in");
            return new(url, PageVerdict.Unclear, status, final, $"HTTP {status}, but no video found in the page (it may be built by script)");
        }

        return new(url, PageVerdict.Unclear, status, final, $"HTTP {status}");
    }

    private static async Task<string> ReadStartAsync(HttpContent content, CancellationToken ct)
    {
        if (content.Headers.ContentType?.MediaType is { } type && !type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            && !type.Contains("html", StringComparison.OrdinalIgnoreCase))
            return "";
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        var buffer = new char[MaxBodyChars];
        var read = await reader.ReadBlockAsync(buffer, ct);
        return new string(buffer, 0, read);
    }
}
