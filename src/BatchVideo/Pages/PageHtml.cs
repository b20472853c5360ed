using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace BatchVideo.Pages;

/// <summary>What one recipient page shows. Every text is plain: <see cref="PageHtml"/> encodes it.</summary>
/// <param name="PageUrl">The page's own public address (Open Graph <c>og:url</c>).</param>
/// <param name="VideoUrl">Absolute, or a path on serve itself (a stored copy served from disk).</param>
/// <param name="PosterUrl">Absolute, a path on serve itself, or null.</param>
public sealed record PageView(Uri PageUrl, string VideoUrl, string? PosterUrl, PageTexts Texts);

/// <summary>
/// The recipient page: one small self-contained HTML document (inline style and script, nothing from a third
/// party, no cookie), <c>noindex</c>, Open Graph tags for unfurling, and a Content-Security-Policy that lets run
/// only its own script (by hash), load media only from the video's and poster's own origins, and send beacons
/// only to the page's own origin.
/// </summary>
public static class PageHtml
{
    /// <summary>
    /// The page's script: <c>opened</c> once it runs (so a fetch that runs no script is no view), then the first play,
    /// each progress mark once, and a click on the button, each posted as JSON to the page's own path.
    /// </summary>
    public const string Script = """
        (function () {
          var path = location.pathname;
          function send(kind, percent) {
            var beacon = percent === undefined ? { kind: kind } : { kind: kind, percent: percent };
            try {
              fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(beacon),
                keepalive: true, credentials: "omit", cache: "no-store" }).catch(function () { });
            } catch (e) { }
          }
          send("opened");
          var video = document.getElementById("video"), sent = {}, played = false;
          function mark(percent) { if (!sent[percent]) { sent[percent] = true; send("progress", percent); } }
          if (video) {
            video.addEventListener("play", function () { if (!played) { played = true; send("play"); } });
            video.addEventListener("timeupdate", function () {
              if (!(video.duration > 0)) { return; }
              var at = video.currentTime / video.duration * 100;
              [25, 50, 75].forEach(function (m) { if (at >= m) { mark(m); } });
              if (at >= 99) { mark(100); }
            });
            video.addEventListener("ended", function () { mark(100); });
          }
          var cta = document.getElementById("cta");
          if (cta) { cta.addEventListener("click", function () { send("cta"); }); }
        })();
        """;

    /// <summary>The page's style.</summary>
    public const string Style =
        "body{margin:0;background:#f5f5f7;color:#1d1d1f;font:16px/1.5 system-ui,sans-serif}"
        + "main{max-width:960px;margin:0 auto;padding:24px}h1{font-size:1.6em;margin:0 0 16px}"
        + "video{display:block;width:100%;aspect-ratio:auto 16/9;max-height:80vh;background:#000;border-radius:8px}"
        + ".cta{display:inline-block;margin-top:20px;padding:12px 24px;border-radius:6px;background:#0b5fff;color:#fff;text-decoration:none;font-weight:600}";

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly string ScriptHash = Hash(Script);
    private static readonly string StyleHash = Hash(Style);

    /// <summary>The page's Content-Security-Policy header for <paramref name="view"/>.</summary>
    public static string ContentSecurityPolicy(PageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return $"default-src 'none'; script-src '{ScriptHash}'; style-src '{StyleHash}'; img-src {Source(view.PosterUrl)}; "
            + $"media-src {Source(view.VideoUrl)}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    public static string Render(PageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var texts = view.Texts;
        var title = texts.Heading is { Length: > 0 } heading ? heading : "A video for you";
        var poster = view.PosterUrl is null ? null : Absolute(view.PageUrl, view.PosterUrl);
        var page = new StringBuilder(2048)
            .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n")
            .Append("<meta property=\"og:type\" content=\"video.other\">\n")
            .Append("<meta property=\"og:title\" content=\"").Append(E(title)).Append("\">\n")
            .Append("<meta property=\"og:url\" content=\"").Append(E(view.PageUrl.AbsoluteUri)).Append("\">\n");
        if (poster is not null)
        {
            page.Append("<meta property=\"og:image\" content=\"").Append(E(poster)).Append("\">\n")
                .Append("<meta name=\"twitter:card\" content=\"summary_large_image\">\n");
        }

        page.Append("<style>").Append(Style).Append("</style>\n</head><body><main>\n");
        if (texts.Heading is { Length: > 0 })
        {
            page.Append("<h1>").Append(E(texts.Heading)).Append("</h1>\n");
        }

        page.Append("<video id=\"video\" controls playsinline preload=\"metadata\" src=\"").Append(E(view.VideoUrl)).Append('"');
        if (view.PosterUrl is not null)
        {
            page.Append(" poster=\"").Append(E(view.PosterUrl)).Append('"');
        }

        page.Append("></video>\n");
        if (texts.CtaText is { Length: > 0 } ctaText && SafeLink(texts.CtaUrl) is { } ctaUrl)
        {
            page.Append("<a id=\"cta\" class=\"cta\" href=\"").Append(E(ctaUrl)).Append("\" rel=\"noopener noreferrer\">")
                .Append(E(ctaText)).Append("</a>\n");
        }

        return page.Append("</main>\n<script>").Append(Script).Append("</script>\n</body></html>\n").ToString();
    }

    /// <summary>
    /// A call-to-action address the page may link to: absolute <c>https</c>, <c>http</c> or <c>mailto</c>; anything else
    /// (<c>javascript:</c>, a relative path, a CRM cell with junk) is no link at all.
    /// </summary>
    public static string? SafeLink(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "mailto" ? uri.AbsoluteUri : null;

    /// <summary>The CSP source of one media address: its origin, or <c>'self'</c> for a path on serve.</summary>
    private static string Source(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri.GetLeftPart(UriPartial.Authority)
            : url is null ? "'none'" : "'self'";

    private static string Absolute(Uri page, string url) => new Uri(page, url).AbsoluteUri;

    private static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string E(string value) => Html.Encode(value);
}
