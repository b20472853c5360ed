using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace BatchVideo.Pages;

/// <summary>
/// The HTML a mail merge pastes into an e-mail for one recipient: their poster image, linked to their page.
/// Mail clients strip scripts and video, so an image that links to the page is what every one of them shows
/// (the pattern Vidyard and Sendspark hand out); the width is fixed because Outlook ignores CSS sizes.
/// </summary>
public static class EmailSnippet
{
    // Every character as itself except what HTML gives a meaning, as the review page encodes.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Shown where a mail client blocks images, and read aloud by screen readers.</summary>
    public const string DefaultAlt = "Play your personal video";

    /// <summary>One line: <c>&lt;a href="page"&gt;&lt;img src="poster" alt="…" width="480" …&gt;&lt;/a&gt;</c>, every value HTML-encoded.</summary>
    /// <param name="page">The recipient's page (absolute http or https).</param>
    /// <param name="image">The poster or GIF (absolute http or https); null: a text link only.</param>
    /// <param name="alt">The image's alternative text.</param>
    public static string For(Uri page, Uri? image, string alt = DefaultAlt)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(alt);
        var href = Html.Encode(Web(page).AbsoluteUri);
        return image is null
            ? $"<a href=\"{href}\">{Html.Encode(alt)}</a>"
            : $"<a href=\"{href}\"><img src=\"{Html.Encode(Web(image).AbsoluteUri)}\" alt=\"{Html.Encode(alt)}\" width=\"480\" style=\"display:block;max-width:100%;height:auto;border:0\"></a>";
    }

    // Only web links: a javascript: or data: link in a mail merge would be someone else's code in the rep's e-mail.
    private static Uri Web(Uri uri) => uri is { IsAbsoluteUri: true, Scheme: "https" or "http" }
        ? uri
        : throw new ArgumentException($"'{uri}' is not an http(s) address; an e-mail snippet links only to web pages.", nameof(uri));
}
