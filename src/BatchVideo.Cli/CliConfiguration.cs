using System.Text.Json;
using BatchVideo.Campaigns;
using BatchVideo.Reports;
using BatchVideo.Settings;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Cli;

/// <summary>
/// Builds the configuration the way docs/configuration.md documents it: appsettings.json (or --config), user
/// secrets, environment variables (Section__Key), HEYGEN_API_KEY, then what the command line sets.
/// </summary>
internal static class CliConfiguration
{
    public const string ApiKeyVariable = "HEYGEN_API_KEY";

    /// <summary>
    /// The configuration, with values that do not convert already found and hidden (the host's
    /// validation lists them with every other problem). A file that is not valid JSON is a
    /// <see cref="ConfigurationException"/> naming the file, line and column.
    /// </summary>
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
        var baseDirectory = Path.GetDirectoryName(path)!;
        var check = SettingsCheck.Apply(Build(builder), [.. BatchVideoServices.Sections, (ServeHttpOptions.Section, typeof(ServeHttpOptions))]);
        // The pipeline's options validators report their sections' problems; Serve has no validator of its own.
        if (check.Problems.Of(ServeHttpOptions.Section).Select(p => p.Message).ToList() is { Count: > 0 } serve)
        {
            throw new ConfigurationException("Configuration is not valid: " + string.Join(" ", serve));
        }

        var configuration = (IConfigurationRoot)check.Configuration;
        CrashLog.Folder = Path.GetFullPath(configuration[$"{ReportOptions.Section}:Folder"] is { Length: > 0 } folder ? folder : "reports", baseDirectory);
        return (configuration, baseDirectory);
    }

    /// <summary>Builds, turning the JSON provider's exception and stack trace into one sentence.</summary>
    public static IConfigurationRoot Build(IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationException(DescribeFileError(e), e);
        }
    }

    private static string DescribeFileError(InvalidDataException e)
    {
        // "Failed to load configuration from file '/x/appsettings.json'." around the parser's own exception.
        var start = e.Message.IndexOf('\'', StringComparison.Ordinal);
        var end = e.Message.LastIndexOf('\'');
        var file = start >= 0 && end > start ? e.Message[(start + 1)..end] : "the configuration file";
        var inner = e.InnerException;
        while (inner is not null and not JsonException && inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        if (inner is JsonException json)
        {
            // The reader counts both from 0; editors count from 1.
            var reason = json.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = (cut >= 0 ? reason[..cut] : reason).Trim().TrimEnd('.');
            return $"{file} is not valid JSON: line {(json.LineNumber ?? 0) + 1}, column {(json.BytePositionInLine ?? 0) + 1}: {reason}. Nothing was read from it.";
        }

        return $"{file} cannot be read as configuration: {(inner ?? e).Message.TrimEnd('.')}.";
    }
}
