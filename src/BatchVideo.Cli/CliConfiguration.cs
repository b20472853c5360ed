using Microsoft.Extensions.Configuration;

namespace BatchVideo.Cli;

/// <summary>
/// Builds the configuration the way the README documents it: appsettings.json (or --config), user
/// secrets, environment variables (Section__Key), HEYGEN_API_KEY, then what the command line sets.
/// </summary>
internal static class CliConfiguration
{
    public const string ApiKeyVariable = "HEYGEN_API_KEY";

    public static (IConfigurationRoot Configuration, string BaseDirectory) Load(string? configPath, IReadOnlyDictionary<string, string?> overrides)
    {
        var explicitPath = configPath is not null;
        var path = Path.GetFullPath(configPath ?? "appsettings.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(explicitPath
                ? $"Configuration file '{path}' does not exist."
                : $"No appsettings.json in {Directory.GetCurrentDirectory()}: run from the repository folder or pass --config <file>.");
        }

        var builder = new ConfigurationBuilder()
            .AddJsonFile(path, optional: false, reloadOnChange: false)
            .AddUserSecrets(typeof(CliConfiguration).Assembly, optional: true)
            .AddEnvironmentVariables();
        if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key)
        {
            builder.AddInMemoryCollection([new("HeyGen:ApiKey", key)]);
        }

        builder.AddInMemoryCollection(overrides);
        return (builder.Build(), Path.GetDirectoryName(path)!);
    }
}
