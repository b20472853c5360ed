using BatchVideo.HeyGen;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// The checks made before the first paid create: HeyGen must accept the key and know the campaign's
/// avatar and voice. Only GETs are sent; nothing is created or paid for.
/// </summary>
public sealed class CampaignPreflight(HeyGenClient heyGen)
{
    /// <summary>Null when HeyGen accepts the key, avatar and voice; otherwise why not, for the operator.</summary>
    public async Task<PreflightFailure?> CheckAsync(CampaignOptions campaign, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        try
        {
            await heyGen.CheckAvatarAsync(campaign.AvatarId, ct);
            await heyGen.CheckVoiceAsync(campaign.VoiceId, ct);
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
}

/// <summary>Why HeyGen refused the campaign before anything was sent: a configuration error.</summary>
public sealed record PreflightFailure(string Reason, string Code);
