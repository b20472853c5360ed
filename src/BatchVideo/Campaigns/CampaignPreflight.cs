using BatchVideo.HeyGen;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// The checks made before the first paid create: HeyGen must accept the key, know the campaign's avatar
/// look and voice, and both must be usable: a look or a cloned voice still training, waiting for consent or
/// failed answers 200 but cannot render, and a look lists the engines it supports. Only GETs are sent.
/// </summary>
public sealed class CampaignPreflight(HeyGenClient heyGen)
{
    // AvatarStatus (OpenAPI) has "completed"; a voice clone's status (heygen-cli gen/voice.go) says "complete".
    private static readonly string[] Usable = ["completed", "complete"];

    /// <summary>
    /// The account's unit and balance (<c>GET /v3/users/me</c>) and the campaign's price in that unit. The campaign
    /// look's <c>avatar_type</c> is asked for only when the price depends on it (a photo table for its engine).
    /// </summary>
    public async Task<AccountPrice> PriceAsync(CampaignOptions campaign, PricingOptions pricing, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(pricing);
        var (remaining, unit) = (await heyGen.GetUserAsync(ct)).Remaining();
        string? avatarType = null;
        if (string.Equals(unit, "usd", StringComparison.OrdinalIgnoreCase) && VideoTypes.Of(campaign).PriceDependsOnLook(campaign, pricing))
        {
            avatarType = (await heyGen.GetAvatarLookAsync(campaign.AvatarId, ct)).AvatarType;
        }

        return new AccountPrice(VideoPrice.Of(campaign, pricing, unit, avatarType), unit, remaining)
        {
            MissingPriceSetting = VideoPrice.MissingPriceSetting(campaign, pricing, avatarType),
        };
    }

    /// <summary>Null when HeyGen accepts the key, avatar and voice; otherwise why not, for the operator.</summary>
    public async Task<PreflightFailure?> CheckAsync(CampaignOptions campaign, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        try
        {
            // Every look and voice the campaign's type sends: one for avatar, up to three looks for a cinematic
            // shot, only the ones set for the agent (which otherwise picks its own).
            foreach (var avatarId in VideoTypes.LooksOf(campaign))
            {
                var look = await heyGen.GetAvatarLookAsync(avatarId, ct);
                if (look.Status is { } status && Array.IndexOf(Usable, status) < 0)
                {
                    return new PreflightFailure(
                        $"pre-flight check failed, nothing was sent: avatar look {avatarId} is {status}, not completed; wait for it (or fix it in HeyGen) and run again.",
                        "avatar_not_ready");
                }

                if (EngineOf(campaign) is { } engine && look.SupportedApiEngines is { Count: > 0 } engines && !engines.Contains(engine, StringComparer.Ordinal))
                {
                    return new PreflightFailure(
                        $"pre-flight check failed, nothing was sent: avatar look {avatarId} does not support engine {engine} (it supports {string.Join(", ", engines)}); change Campaigns:<name>:Engine.",
                        "engine_not_supported");
                }
            }

            foreach (var voiceId in VideoTypes.VoicesOf(campaign))
            {
                var voice = await heyGen.GetVoiceAsync(voiceId, ct);
                if (voice.Status is { } voiceStatus && Array.IndexOf(Usable, voiceStatus) < 0)
                {
                    return new PreflightFailure(
                        $"pre-flight check failed, nothing was sent: voice {voiceId} is {voiceStatus}, not complete; wait for the clone (or fix it in HeyGen) and run again.",
                        "voice_not_ready");
                }
            }

            return null;
        }
        catch (HeyGenApiException e) when (e.Disposition != ErrorDisposition.Retry)
        {
            return new PreflightFailure($"pre-flight check failed, nothing was sent: {e.Message}", e.Code);
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            return new PreflightFailure($"HeyGen could not be reached for the pre-flight check, nothing was sent: {e.Message}", "unreachable");
        }
    }

    /// <summary>
    /// The engine an avatar create renders with: the campaign's <c>Engine</c>, else HeyGen's default (heygen-cli
    /// gen/video.go: "Defaults to Avatar IV"); null for the prompt types, whose requests name no engine.
    /// </summary>
    private static string? EngineOf(CampaignOptions campaign) =>
        VideoTypes.Of(campaign).EngineOf(campaign);

    /// <summary>
    /// Asks HeyGen once about each distinct look and voice rows chose; the ones it does not know (404), that are not
    /// usable yet, or (a look) that do not list the campaign's engine in <c>supported_api_engines</c>, with why. Any
    /// other error is thrown: the run's pre-flight stops before the first create.
    /// </summary>
    public async Task<RefusedChoices> CheckChoicesAsync(CampaignOptions campaign, IReadOnlyCollection<string> looks, IReadOnlyCollection<string> voices, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(looks);
        ArgumentNullException.ThrowIfNull(voices);
        var engine = EngineOf(campaign);
        var refusedLooks = await RefusedAsync(looks, async (id, token) => LookProblem(await heyGen.GetAvatarLookAsync(id, token), engine), "avatar look", ct);
        var refusedVoices = await RefusedAsync(
            voices, async (id, token) => (await heyGen.GetVoiceAsync(id, token)).Status is { } status && Array.IndexOf(Usable, status) < 0 ? $"the voice is {status}, not complete" : null, "voice", ct);
        return new RefusedChoices(refusedLooks, refusedVoices, campaign.Columns);
    }

    /// <summary>Why a look cannot render this campaign's rows (not completed, or without its engine); null when it can.</summary>
    private static string? LookProblem(AvatarLook look, string? engine) =>
        look.Status is { } status && Array.IndexOf(Usable, status) < 0 ? $"the avatar look is {status}, not completed"
        : engine is not null && look.SupportedApiEngines is { Count: > 0 } engines && !engines.Contains(engine, StringComparer.Ordinal)
            ? $"the avatar look does not support engine {engine} (it supports {string.Join(", ", engines)}); choose another look or change Engine"
        : null;

    /// <summary>The ids among <paramref name="ids"/> HeyGen does not know (404) or that <paramref name="problemOf"/> finds unusable, with why.</summary>
    private static async Task<Dictionary<string, string>> RefusedAsync(
        IReadOnlyCollection<string> ids, Func<string, CancellationToken, Task<string?>> problemOf, string what, CancellationToken ct)
    {
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            try
            {
                if (await problemOf(id, ct) is { } problem)
                {
                    refused[id] = problem;
                }
            }
            catch (HeyGenApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
            {
                refused[id] = $"HeyGen knows no such {what}";
            }
        }

        return refused;
    }
}

/// <summary>What the campaign's video costs on this account, in its own unit.</summary>
/// <param name="Rate">Null when the account pays in USD and the price tables have no price for the engine and resolution.</param>
public sealed record AccountPrice(VideoRate? Rate, string Unit, double? Remaining)
{
    /// <summary>The price of a minute; null without a rate.</summary>
    public double? PerMinute => Rate?.PerMinute;

    /// <summary>The setting that would give the missing price (when <see cref="Rate"/> is null).</summary>
    public string MissingPriceSetting { get; init; } = "";
}

/// <summary>Why HeyGen refused the campaign before anything was sent: a configuration error.</summary>
public sealed record PreflightFailure(string Reason, string Code);
