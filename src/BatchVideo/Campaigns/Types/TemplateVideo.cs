using System.Globalization;
using System.Text.Json.Nodes;
using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Templates;
using BatchVideo.Scripts;

namespace BatchVideo.Campaigns.Types;

/// <summary>
/// A video from the brand's own HeyGen template (<c>POST /v3/templates/{template_id}</c>, heygen-cli gen/template.go
/// <c>TemplateGenerate</c>): each row fills the template's variables (<c>Campaigns:&lt;name&gt;:Variables</c>); the scenes,
/// avatar, voice and on-screen design are the template's. The body is built from the variable objects
/// <c>GET /v3/templates/{id}</c> returned (read once per run, <see cref="TemplateBinding"/>), replacing only their values.
/// </summary>
public sealed class TemplateVideo : VideoType
{
    /// <summary>"Output frame rate. One of 25, 30, or 60."</summary>
    public static readonly IReadOnlySet<double> FrameRates = new HashSet<double> { 25, 30, 60 };

    /// <summary>Dimension's width and height: "even number, 128-4096".</summary>
    private const int MinPixels = 128;

    private const int MaxPixels = 4096;

    public override string Name => VideoTypes.Template;

    /// <summary><c>v3/templates/{template_id}</c>: the key's scope is "per-endpoint and per-resource".</summary>
    public override string RouteOf(CampaignOptions campaign) =>
        $"{VideoCreate.TemplatesRoute}/{Uri.EscapeDataString(campaign?.TemplateId ?? "")}";

    /// <summary>The scenes' scripts are spoken: a video is as long as they are with the row's values in place.</summary>
    public override bool IsSpoken => true;

    /// <summary>The campaign's script is its <c>Variables</c>, not a Scriban file.</summary>
    public override bool UsesScriptFile => false;

    /// <summary>Burned-in captions (<c>caption: true</c>); the video's caption file can be written back like an avatar video's.</summary>
    public override bool TakesCaptions => true;

    public override string PreflightPassed => "passed: HeyGen accepts the API key and serves the campaign's template, whose variables fit Variables";

    protected override string? KeyInfix => "template";

    /// <summary>None: the template's own avatar and voice (or its character and voice variables) are used.</summary>
    public override IReadOnlyList<string> LooksOf(CampaignOptions campaign) => [];

    public override IReadOnlyList<string> VoicesOf(CampaignOptions campaign) => [];

    public override RenderResult Render(PreparedRun run, IReadOnlyList<string> values, string key)
    {
        ArgumentNullException.ThrowIfNull(run);
        var binding = run.Template ?? throw new InvalidOperationException($"Campaign {run.Campaign}'s template was not read before its rows.");
        return binding.Render(values, key, run.Campaign);
    }

    public override void Validate(string at, CampaignOptions campaign, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(campaign.TemplateId))
        {
            errors.Add($"{at}:TemplateId is missing: name the HeyGen template ('batchvideo heygen templates list' shows them).");
        }

        if (campaign.Variables.Count == 0)
        {
            errors.Add($"{at}:Variables is empty: map each of the template's text variables to a Scriban text, e.g. \"first_name\": \"{{{{ first_name }}}}\" ('batchvideo heygen templates show <id>' lists them).");
        }

        if (!string.IsNullOrWhiteSpace(campaign.Template))
        {
            errors.Add($"{at}:Template cannot be used with template: the HeyGen template's scenes hold the script, and Variables fills them; remove it.");
        }

        if (!string.IsNullOrWhiteSpace(campaign.AvatarId) || !string.IsNullOrWhiteSpace(campaign.VoiceId))
        {
            errors.Add($"{at}:AvatarId and VoiceId cannot be used with template: the template has its own; map its character or voice variable in Variables instead.");
        }

        if (campaign.Fps is { } fps && !FrameRates.Contains(fps))
        {
            errors.Add($"{at}:Fps {fps.ToString(CultureInfo.InvariantCulture)} is not 25, 30 or 60, the frame rates a template video takes.");
        }

        if (campaign.Dimension is { } dimension && DimensionOf(dimension) is null)
        {
            errors.Add($"{at}:Dimension '{dimension}' is not WIDTHxHEIGHT in even pixels from {MinPixels} to {MaxPixels} each (e.g. 1920x1080).");
        }

        if (campaign.Subtitles is { } preset && string.IsNullOrWhiteSpace(preset))
        {
            errors.Add($"{at}:Subtitles is blank: name a preset (classic, bold, bright…) or remove it.");
        }

        if (campaign.Columns.Look is not null)
        {
            errors.Add($"{at}:Columns:Look cannot be used with template: map the template's character variable in Variables (e.g. \"presenter\": \"{{{{ look }}}}\").");
        }

        Refuse(at, campaign, errors, "template", styleId: true, orientation: true, avatarIds: true, duration: true, engine: true);
    }

    public override VideoCreate Build(PreparedRun run, string marker, RenderResult rendered, Uri? callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rendered);
        var binding = run.Template ?? throw new InvalidOperationException($"Campaign {run.Campaign}'s template was not read before its rows.");
        var values = rendered.TemplateValues ?? throw new ArgumentException("The row was not rendered for a template.", nameof(rendered));
        var options = run.Options;
        var variables = new JsonObject();
        foreach (var (name, value) in values)
        {
            variables[name] = binding.Variable(name).WithValue(value);
        }

        var request = new TemplateGenerateRequest
        {
            Variables = variables,
            SceneIds = options.SceneIds.Count > 0 ? [.. options.SceneIds] : null,
            Title = RecipientIdentity.Title(rendered.Title, run.Campaign, marker),
            Caption = options.Captions ? true : null,
            Subtitles = options.Subtitles is { Length: > 0 } preset ? new TemplateSubtitles { PresetName = preset } : null,
            IncludeGif = options.IncludeGif,
            EnableSharing = options.EnableSharing,
            FolderId = NullIfBlank(options.FolderId),
            // The glossary travels as brand_voice_id, the field the models name (heygen-cli: both names reach the same record).
            BrandVoiceId = NullIfBlank(options.BrandGlossaryId),
            Dimension = options.Dimension is { } dimension ? DimensionOf(dimension) : null,
            Fps = options.Fps,
            CallbackUrl = callbackUrl?.AbsoluteUri,
            CallbackId = callbackUrl is null ? null : marker,
        };
        return VideoCreate.Of(request, options.TemplateId!, rendered.Script);
    }

    /// <summary>
    /// The scenes' scripts with the row's values in place, at the campaign's pace. An estimate: HeyGen bills the video's
    /// real length, and a template's pauses, b-roll and music can make it longer than its words.
    /// </summary>
    public override double MinutesOf(CampaignOptions campaign, string text)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return CreditEstimate.MinutesOf(text, campaign.WordsPerMinute);
    }

    /// <summary>
    /// HeyGen's default engine (Avatar IV) at the campaign's <c>Resolution</c>: the template's avatar and engine are not
    /// in its GET answer, so this is the estimate's assumption (docs/configuration.md says so).
    /// </summary>
    public override (string Table, string Column) RateOf(CampaignOptions campaign, PricingOptions? pricing, string? avatarType) =>
        (VideoPrice.DefaultEngine, campaign?.Resolution ?? "");

    /// <summary>Everything a sample of a template campaign shows; the template's own revision is added by <see cref="ApprovalFingerprint"/>.</summary>
    public override IEnumerable<string> ApprovalParts(CampaignOptions campaign) =>
        campaign is null ? [] :
        [
            $"type={Name}",
            $"template_id={campaign.TemplateId}",
            $"variables={string.Join('\u001f', campaign.Variables.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}",
            $"scenes={string.Join(',', campaign.SceneIds)}",
            $"captions={campaign.Captions}/{campaign.Subtitles}",
            $"dimension={campaign.Dimension}/{campaign.Fps}",
        ];

    /// <summary><c>1920x1080</c> as a dimension; null when it is not two even numbers from 128 to 4096.</summary>
    public static TemplateDimension? DimensionOf(string text)
    {
        var parts = (text ?? "").Split('x', 'X');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            && Fits(width) && Fits(height)
                ? new TemplateDimension(width, height)
                : null;

        static bool Fits(int pixels) => pixels is >= MinPixels and <= MaxPixels && pixels % 2 == 0;
    }
}
