using System.Globalization;

namespace BatchVideo.Pages;

/// <summary>A recipient's page as the write-back sees it: where it is, the image a mail merge shows, and what they did with it.</summary>
/// <param name="Url">The page, <c>&lt;Pages:PublicBaseUrl&gt;/v/&lt;token&gt;</c>.</param>
/// <param name="Image">The poster an e-mail shows (a stable address, not a signed link that expires); null: none yet.</param>
public sealed record RecipientPage(Uri Url, Uri? Image, Engagement Engagement)
{
    /// <summary>
    /// The cell of one page fact (<see cref="Sources.WriteBackColumns.PageFacts"/>): numbers and times invariant, times
    /// ISO 8601 UTC to the second (what Excel, Sheets and every CRM import read as a date); null where there is nothing to say.
    /// </summary>
    public string? Cell(string fact) => fact switch
    {
        "Page" => Url.AbsoluteUri,
        "Views" => Engagement.Views.ToString(CultureInfo.InvariantCulture),
        "FirstViewedAt" => Iso(Engagement.FirstViewedAt),
        "WatchedPercent" => Engagement.WatchedPercent.ToString(CultureInfo.InvariantCulture),
        "CtaClickedAt" => Iso(Engagement.CtaClickedAt),
        "EmailHtml" => EmailSnippet.For(Url, Image),
        _ => null,
    };

    /// <summary>"2026-12-06T04:10:07Z", or null.</summary>
    public static string? Iso(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
