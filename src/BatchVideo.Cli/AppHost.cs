using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Cli;

/// <summary>The Generic Host every command runs in: configuration, logging, the pipeline's services.</summary>
internal static class AppHost
{
    /// <summary>A host whose logging follows the command's verbosity; on a live terminal display only errors are logged.</summary>
    public static IHost Build(IConfiguration configuration, string baseDirectory, Verbosity verbosity, bool liveDisplay, bool requireApiKey = true) =>
        Build(
            configuration,
            baseDirectory,
            verbosity == Verbosity.Detailed ? LogLevel.Debug : LogLevel.Information,
            onlyErrors: verbosity == Verbosity.Quiet || liveDisplay,
            requireApiKey: requireApiKey);

    public static IHost Build(IConfiguration configuration, string baseDirectory, LogLevel level, bool onlyErrors, Action<IServiceCollection>? services = null, bool requireApiKey = true)
    {
        CrashLog.Verbose = level <= LogLevel.Debug;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);

        // Logs go to stderr so stdout carries only progress and the summary.
        builder.Logging
            .AddPlainConsole(detail: level <= LogLevel.Debug)
            // Polly reports every retried timeout; the run's own summary says what came of them.
            .AddFilter("Polly", LogLevel.None)
            // The host logs a failed start with its whole stack; the command says it once, in sentences.
            .AddFilter("Microsoft.Extensions.Hosting", level <= LogLevel.Debug ? LogLevel.Warning : LogLevel.None)
            .AddFilter((category, l) => l >= LogLevel.Error
                || (!onlyErrors && l >= LogLevel.Warning)
                || (!onlyErrors && l >= level && category?.StartsWith("BatchVideo", StringComparison.Ordinal) == true));
        services?.Invoke(builder.Services);
        builder.Services.AddBatchVideo(configuration, baseDirectory, requireApiKey);
        return builder.Build();
    }
}
