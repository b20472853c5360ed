using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Cli;

/// <summary>The Generic Host every command runs in: configuration, logging, the pipeline's services.</summary>
internal static class AppHost
{
    public static IHost Build(
        IConfiguration configuration, string baseDirectory, LogLevel level, bool onlyErrors, Action<IServiceCollection>? services = null, bool validateHeyGen = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);

        // Logs go to stderr so stdout carries only progress and the summary.
        builder.Logging
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            // Polly reports every retried timeout; the run's own summary says what came of them.
            .AddFilter("Polly", LogLevel.None)
            .AddFilter((category, l) => l >= LogLevel.Error
                || (!onlyErrors && l >= LogLevel.Warning)
                || (!onlyErrors && l >= level && category?.StartsWith("BatchVideo", StringComparison.Ordinal) == true));
        services?.Invoke(builder.Services);
        builder.Services.AddBatchVideo(configuration, baseDirectory, validateHeyGen);
        return builder.Build();
    }
}
