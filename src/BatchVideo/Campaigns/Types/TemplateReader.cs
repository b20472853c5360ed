using BatchVideo.HeyGen;
using Polly.Timeout;

namespace BatchVideo.Campaigns.Types;

/// <summary>
/// Reads a <c>template</c> campaign's HeyGen template (<c>GET /v3/templates/{id}</c>) once per run and binds it to the
/// campaign: every command (run, dry run, validate, preview) needs its variables to build and check a body. Only a GET
/// is sent; any problem stops the command before a create (<see cref="ConfigurationException"/>, exit 2).
/// </summary>
public sealed class TemplateReader(HeyGenClient heyGen)
{
    /// <exception cref="ConfigurationException">HeyGen does not serve the template, could not be asked, or the campaign does not fit it.</exception>
    public async Task<TemplateBinding> BindAsync(string campaignName, CampaignOptions campaign, IReadOnlyList<string> headers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var id = campaign.TemplateId ?? throw new ConfigurationException($"Campaigns:{campaignName}:TemplateId is missing.");
        HeyGen.Templates.TemplateDetail template;
        try
        {
            template = await heyGen.GetTemplateAsync(id, ct);
        }
        catch (HeyGenApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            throw new ConfigurationException(
                $"Campaigns:{campaignName}:TemplateId '{id}': HeyGen has no such template on this account, nothing was sent ('batchvideo heygen templates list' shows them).", e);
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            throw new ConfigurationException($"HeyGen's template {id} of campaign {campaignName} could not be read, nothing was sent: {e.Message}", e);
        }

        return TemplateBinding.Bind(campaignName, campaign, template, headers);
    }
}
