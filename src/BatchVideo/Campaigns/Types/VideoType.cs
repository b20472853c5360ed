using BatchVideo.HeyGen;
using BatchVideo.Scripts;

namespace BatchVideo.Campaigns.Types;

/// <summary>
/// One of HeyGen's ways to create a video, with every rule that differs between them: what a campaign of it must
/// and must not set, how a row becomes its create, how a video of it is priced and timed, its idempotency key.
/// One subclass per type, in this folder; <see cref="VideoTypes.Of(CampaignOptions)"/> resolves a campaign's.
/// </summary>
/// <remarks>Adding a type is one file here plus its entry in <see cref="VideoTypes.All"/>: no caller switches on the name.</remarks>
public abstract class VideoType
{
    /// <summary>The value of <c>Campaigns:&lt;name&gt;:Type</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What <c>validate</c> reports when the pre-flight found nothing wrong.</summary>
    public virtual string PreflightPassed => $"passed: HeyGen accepts the API key and knows the {Name} campaign's looks and voice";

    /// <summary>The create endpoint of the campaign's videos, relative to HeyGen's base URL.</summary>
    public virtual string RouteOf(CampaignOptions campaign) => VideoCreate.VideosRoute;

    /// <summary>Whether the campaign's text comes from a Scriban file (<c>Template</c>); a HeyGen template's from its <c>Variables</c>.</summary>
    public virtual bool UsesScriptFile => true;

    /// <summary>Renders one row of <paramref name="run"/>: its script (or prompt) and title, or the problem that rejects it.</summary>
    public virtual RenderResult Render(PreparedRun run, IReadOnlyList<string> values, string key)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Renderer.Render(values, key, run.Campaign);
    }

    /// <summary>Whether a create carries a <c>title</c>, so a lost answer can be found by its marker after the key's 24 hours.</summary>
    public virtual bool CarriesTitle => true;

    /// <summary>Whether the rendered text is spoken (its length is the video's) rather than a prompt of a length the type sets.</summary>
    public virtual bool IsSpoken => false;

    /// <summary>The longest text the campaign's template may render (script or prompt), in characters.</summary>
    public virtual int MaxRenderedLength => ScriptRenderer.MaxScriptLength;

    /// <summary>Whether the campaign may ask for captions (<c>Captions</c>) and write the caption file back.</summary>
    public virtual bool TakesCaptions => false;

    /// <summary>The aspect ratios the type's create takes (the campaign's and a row's <c>Columns:AspectRatio</c>).</summary>
    public virtual IReadOnlySet<string> AspectRatios => CampaignOptions.AspectRatios;

    /// <summary>
    /// The part of the Idempotency-Key between the marker and the attempt (<c>agent</c> in <c>bv-…-agent-a1</c>); null:
    /// none (the avatar's form, which ledgers already hold). A key per type, so a campaign switched to another type
    /// never replays the old type's answer.
    /// </summary>
    protected virtual string? KeyInfix => null;

    /// <summary>The Idempotency-Key of <paramref name="attempt"/> for the recipient <paramref name="marker"/> names.</summary>
    public string IdempotencyKey(string marker, int attempt) =>
        KeyInfix is { } infix ? $"{marker}-{infix}-a{attempt}" : $"{marker}-a{attempt}";

    /// <summary>The avatar looks the campaign's creates name (the pre-flight checks each).</summary>
    public virtual IReadOnlyList<string> LooksOf(CampaignOptions campaign) =>
        string.IsNullOrWhiteSpace(campaign?.AvatarId) ? [] : [campaign.AvatarId];

    /// <summary>The voices the campaign's creates name (the pre-flight checks each).</summary>
    public virtual IReadOnlyList<string> VoicesOf(CampaignOptions campaign) =>
        string.IsNullOrWhiteSpace(campaign?.VoiceId) ? [] : [campaign.VoiceId];

    /// <summary>The engine a create renders with, checked against a look's <c>supported_api_engines</c>; null: the request names none.</summary>
    public virtual string? EngineOf(CampaignOptions campaign) => null;

    /// <summary>Whether a per-row choice column (<c>Voice</c>, <c>Background</c>, <c>VoiceSpeed</c>, <c>VoiceLocale</c>, <c>AspectRatio</c>) can be sent.</summary>
    public virtual bool TakesChoice(string column) => false;

    /// <summary>
    /// Adds to <paramref name="errors"/> what <paramref name="campaign"/> lacks for this type and what it sets that
    /// this type cannot take, each with its setting's path (<paramref name="at"/> is <c>Campaigns:&lt;name&gt;</c>).
    /// </summary>
    public abstract void Validate(string at, CampaignOptions campaign, List<string> errors);

    /// <summary>The create of one rendered row; <paramref name="marker"/> is the recipient's (<see cref="RecipientIdentity.Marker"/>).</summary>
    public abstract VideoCreate Build(PreparedRun run, string marker, RenderResult rendered, Uri? callbackUrl);

    /// <summary>The estimated length of one video in minutes, from its rendered text where the type speaks it.</summary>
    public abstract double MinutesOf(CampaignOptions campaign, string text);

    /// <summary>Where the campaign's USD rate sits in the price tables: the type's own table, by resolution.</summary>
    public virtual (string Table, string Column) RateOf(CampaignOptions campaign, PricingOptions? pricing, string? avatarType) =>
        (Name, campaign?.Resolution ?? "");

    /// <summary>Whether the price depends on the campaign look's <c>avatar_type</c> (asked for only then).</summary>
    public virtual bool PriceDependsOnLook(CampaignOptions campaign, PricingOptions pricing) => false;

    /// <summary>
    /// What the approval of a sample covers beyond template, title, look, voice and framing; empty for avatar, so an
    /// avatar campaign's approval stays valid across versions.
    /// </summary>
    public virtual IEnumerable<string> ApprovalParts(CampaignOptions campaign) =>
        campaign is null ? [] : [$"type={Name}", $"looks={string.Join(',', campaign.AvatarIds)}", $"duration={campaign.Duration}", $"style={campaign.StyleId}", $"orientation={campaign.Orientation}"];

    /// <summary>One error for each setting the type cannot take, so nothing set is silently left unsent.</summary>
    protected static void Refuse(
        string at, CampaignOptions campaign, List<string> errors, string type,
        bool styleId = false, bool orientation = false, bool avatarIds = false, bool duration = false, bool engine = false)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(errors);
        if (styleId && campaign.StyleId is { Length: > 0 })
        {
            errors.Add($"{at}:StyleId is a Video Agent setting; {type} cannot take it.");
        }

        if (orientation && campaign.Orientation is { Length: > 0 })
        {
            errors.Add($"{at}:Orientation is a Video Agent setting; {type} cannot take it (use AspectRatio).");
        }

        if (avatarIds && campaign.AvatarIds.Count > 0)
        {
            errors.Add($"{at}:AvatarIds is a cinematic_avatar setting; {type} takes one AvatarId.");
        }

        if (duration && campaign.Duration is not null)
        {
            errors.Add($"{at}:Duration is a cinematic_avatar setting; {type} takes its length from the script or the agent.");
        }

        if (engine && campaign.Engine is { Length: > 0 })
        {
            errors.Add($"{at}:Engine cannot be used with {type}: the request has no engine field.");
        }
    }

    protected static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
