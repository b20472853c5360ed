using System.ComponentModel.DataAnnotations;

namespace BatchVideo.Pages;

/// <summary>Recipient pages for the whole deployment (section <c>Pages</c>); each campaign turns its own on.</summary>
public sealed class PagesOptions
{
    public const string Section = "Pages";

    /// <summary>
    /// The public address recipients open pages at, e.g. <c>https://video.example.com</c>: a page is
    /// <c>&lt;PublicBaseUrl&gt;/v/&lt;token&gt;</c>, served by every <c>serve</c> node. <c>https</c>; <c>http</c> only on a
    /// loopback host, for trying. Required as soon as one campaign has pages.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Beacons one page may send per minute (opened, play, four progress marks and a click are 7 for an honest view);
    /// more are answered 429 and not stored.
    /// </summary>
    [Range(1, 10_000)]
    public int BeaconsPerMinute { get; set; } = 60;

    /// <summary>
    /// How long a stored signed link must still work for a page to use it; one closer to its expiry (or past it) is
    /// replaced by a fresh one asked of HeyGen before the page is sent.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan MinLinkLife { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>A campaign's recipient pages (<c>Campaigns:&lt;name&gt;:Pages</c>).</summary>
public sealed class CampaignPageOptions
{
    /// <summary>Give every finished video a page (needs <c>Pages:PublicBaseUrl</c>). Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>Scriban text over the row shown above the video, e.g. <c>A video for {{ first_name }}</c>; none: no heading.</summary>
    public string? Heading { get; set; }

    /// <summary>Scriban text over the row of the call-to-action button; set together with <see cref="CtaUrl"/>.</summary>
    public string? CtaText { get; set; }

    /// <summary>Scriban text over the row rendering the button's <c>https://</c> (or <c>http://</c>, <c>mailto:</c>) address.</summary>
    public string? CtaUrl { get; set; }

    /// <summary>
    /// The source column whose value names the recipient (e.g. <c>first_name</c> or <c>full_name</c>), for the
    /// <c>first_view</c> notification only: kept with the page texts (trimmed, at most
    /// <see cref="PageTextRenderer.MaxNameLength"/> characters), never shown on the page, never logged. None: the key says who.
    /// A column the source does not have stops every command that opens the source (run, validate, preview, a scheduled run) before anything is sent.
    /// </summary>
    public string? NameColumn { get; set; }
}
