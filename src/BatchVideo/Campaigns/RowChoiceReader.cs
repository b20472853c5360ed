using System.Globalization;
using System.Text.RegularExpressions;
using BatchVideo.HeyGen;
using BatchVideo.Scripts;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>
/// A row's own request choices, read from the columns a campaign maps under <c>Columns</c>; null fields keep the
/// campaign's setting. <see cref="Look"/> and <see cref="Voice"/> are checked against HeyGen once per distinct value
/// in the pre-flight.
/// </summary>
public sealed record RowChoices(string? Look, string? Voice, BackgroundSetting? Background, double? VoiceSpeed, string? VoiceLocale, string? AspectRatio);

/// <summary>
/// Reads and checks a row's choice cells (<see cref="WriteBackColumns.Look"/> and the others): the column indexes are
/// resolved once against the source's header, every cell is checked against what the request field takes, and a
/// bad cell rejects its row with the column and the value.
/// </summary>
public sealed partial class RowChoiceReader
{
    /// <summary>VoiceSettingsInput.speed: minimum 0.5, maximum 1.5 (OpenAPI 2026-04-08).</summary>
    public const double MinSpeed = 0.5;

    public const double MaxSpeed = 1.5;

    private readonly int look;
    private readonly int voice;
    private readonly int background;
    private readonly int speed;
    private readonly int locale;
    private readonly int aspect;
    private readonly IReadOnlyList<string> headers;
    private readonly IReadOnlySet<string> aspectRatios;

    private RowChoiceReader(WriteBackColumns columns, IReadOnlyList<string> headers, IReadOnlySet<string> aspectRatios)
    {
        this.headers = headers;
        this.aspectRatios = aspectRatios;
        look = IndexOf(columns.Look, "Look");
        voice = IndexOf(columns.Voice, "Voice");
        background = IndexOf(columns.Background, "Background");
        speed = IndexOf(columns.VoiceSpeed, "VoiceSpeed");
        locale = IndexOf(columns.VoiceLocale, "VoiceLocale");
        aspect = IndexOf(columns.AspectRatio, "AspectRatio");
    }

    /// <summary>True when rows choose their own look or voice (each distinct one is then checked with HeyGen).</summary>
    public bool ChoosesLookOrVoice => look >= 0 || voice >= 0;

    /// <summary>Null when the campaign maps no choice column.</summary>
    /// <exception cref="ConfigurationException">A mapped column is not in the source.</exception>
    public static RowChoiceReader? For(CampaignOptions campaign, IRecipientSource source)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(source);
        var c = campaign.Columns;
        if (c.Look is null && c.Voice is null && c.Background is null && c.VoiceSpeed is null && c.VoiceLocale is null && c.AspectRatio is null)
        {
            return null;
        }

        var ratios = VideoTypes.Of(campaign).AspectRatios;
        try
        {
            return new RowChoiceReader(c, source.Columns, ratios);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"{e.Message} is not a column of {source.Name}. Its columns are: {string.Join(", ", source.Columns)}.");
        }
    }

    /// <summary>The row's choices, or the problem (column and value) that rejects it.</summary>
    public (RowChoices? Choices, RenderProblem? Problem) Read(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        BackgroundSetting? backgroundSetting = null;
        if (Cell(values, background) is { } backgroundText)
        {
            backgroundSetting = HexColour().IsMatch(backgroundText)
                ? new BackgroundSetting("color", backgroundText, null)
                // BackgroundSetting: a "Hex color code (e.g. '#ff0000')", or an image at a "Publicly accessible HTTPS URL" (AssetUrl).
                : Uri.TryCreate(backgroundText, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
                    ? new BackgroundSetting("image", url.AbsoluteUri, null)
                    : null;
            if (backgroundSetting is null)
            {
                return Bad(background, backgroundText, "is neither a hex colour of six digits (#rrggbb) nor an image URL starting https://");
            }
        }

        double? speedValue = null;
        if (Cell(values, speed) is { } speedText)
        {
            if (!double.TryParse(speedText, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || parsed is < MinSpeed or > MaxSpeed)
            {
                return Bad(speed, speedText, $"is not a voice speed from {MinSpeed} to {MaxSpeed} (1 is normal; a dot for decimals)");
            }

            speedValue = parsed;
        }

        var localeText = Cell(values, locale);
        if (localeText is not null && !Locale().IsMatch(localeText))
        {
            return Bad(locale, localeText, "is not a locale such as en-US");
        }

        var aspectText = Cell(values, aspect);
        if (aspectText is not null && !aspectRatios.Contains(aspectText))
        {
            return Bad(aspect, aspectText, $"is not an aspect ratio this campaign's type takes ({string.Join(", ", aspectRatios)})");
        }

        return (new RowChoices(Cell(values, look), Cell(values, voice), backgroundSetting, speedValue, localeText, aspectText), null);
    }

    private (RowChoices?, RenderProblem?) Bad(int index, string value, string why) =>
        (null, new RenderProblem(headers[index], $"'{value}' in column {headers[index]} {why}") { Code = "bad_choice" });

    /// <summary>The trimmed cell, or null when the column is not mapped or the cell is blank (the campaign's setting applies).</summary>
    private static string? Cell(IReadOnlyList<string> values, int index) =>
        index >= 0 && index < values.Count && CellText.Clean(values[index]) is { Length: > 0 } text ? text : null;

    private int IndexOf(string? column, string setting)
    {
        if (column is null)
        {
            return -1;
        }

        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"Columns:{setting} '{column}'");
    }

    // Six digits only: the reference's example is '#ff0000'; the #rgb shorthand is not documented.
    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex HexColour();

    // BCP 47 in its common shape (en, en-US, zh-Hant-TW); HeyGen's examples are "en-US".
    [GeneratedRegex("^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex Locale();
}
