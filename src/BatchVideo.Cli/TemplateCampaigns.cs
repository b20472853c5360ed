using BatchVideo.Campaigns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// Whether a command's campaign reads its HeyGen template (<c>Type: template</c>): such a campaign needs HeyGen (or the
/// sandbox account, with <c>--sandbox</c>) even for commands that send nothing, since its bodies are built from the
/// template's variables and an approval covers the template's revision.
/// </summary>
internal static class TemplateCampaigns
{
    /// <summary>True when <paramref name="campaign"/> (or the default one) is a template campaign; false when it is not or cannot be resolved (the command then reports why).</summary>
    public static bool ReadsTemplate(IConfiguration configuration, string baseDirectory, string? campaign)
    {
        using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, requireApiKey: false);
        try
        {
            var (_, options) = host.Services.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Resolve(campaign);
            return VideoTypes.Find(options.Type) is { UsesScriptFile: false };
        }
        catch (Exception e) when (e is ConfigurationException or OptionsValidationException)
        {
            return false;
        }
    }
}
