using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace BatchVideo.Settings;

/// <summary>Where a setting's value came from, in the words an operator uses to change it.</summary>
public static class SettingSource
{
    /// <summary>
    /// " (in appsettings.json)", " (environment variable HeyGen__MaxConcurrency)", " (user secrets)",
    /// " (the command line)", or "" when it cannot be told.
    /// </summary>
    public static string Describe(IConfiguration configuration, string path)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Find(SettingsCheck.Original(configuration), path) is { } source ? $" ({source})" : "";
    }

    private static string? Find(IConfiguration configuration, string path)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return null;
        }

        // Later providers win, as in the configuration itself.
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider is ChainedConfigurationProvider chained)
            {
                if (Find(chained.Configuration, path) is { } inner)
                {
                    return inner;
                }

                continue;
            }

            if (!provider.TryGet(path, out var value) || value is null)
            {
                continue;
            }

            return provider switch
            {
                JsonConfigurationProvider json when json.Source.Path?.EndsWith("secrets.json", StringComparison.OrdinalIgnoreCase) == true => "user secrets",
                JsonConfigurationProvider json => "in " + (json.Source.Path ?? "a JSON file"),
                EnvironmentVariablesConfigurationProvider => "environment variable " + path.Replace(":", "__", StringComparison.Ordinal),
                _ => "set by the command line",
            };
        }

        return null;
    }
}
