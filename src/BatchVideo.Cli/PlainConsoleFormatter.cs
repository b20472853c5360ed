using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// Log lines an operator reads: "warning: …", "error: …", plain text for information; no logger category
/// or event id (<c>info: BatchVideo.Campaigns.CampaignRunner[1280267637]</c> says nothing to them). At
/// <c>--verbosity detailed</c> every line names its category, for whoever is digging.
/// </summary>
internal sealed class PlainConsoleFormatter(IOptionsMonitor<PlainConsoleFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "plain";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var settings = options.CurrentValue;
        if (settings.Timestamps)
        {
            textWriter.Write(TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z' ", CultureInfo.InvariantCulture));
        }

        textWriter.Write(logEntry.LogLevel switch
        {
            LogLevel.Trace or LogLevel.Debug => "debug: ",
            LogLevel.Warning => "warning: ",
            LogLevel.Error or LogLevel.Critical => "error: ",
            _ => "",
        });
        if (settings.Detail)
        {
            textWriter.Write(logEntry.Category + ": ");
        }

        textWriter.Write(message?.ReplaceLineEndings(" "));
        if (logEntry.Exception is { } e)
        {
            // The reason in one line; the stack only for whoever asked for detail.
            textWriter.Write(settings.Detail ? Environment.NewLine + e : $" ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})");
        }

        textWriter.Write(Environment.NewLine);
    }
}

/// <summary>Options of <see cref="PlainConsoleFormatter"/>.</summary>
internal sealed class PlainConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>Start each line with the UTC time (serve's unattended log).</summary>
    public bool Timestamps { get; set; }

    /// <summary>Name each line's category, and write an exception's type and stack, not only its message (<c>--verbosity detailed</c>).</summary>
    public bool Detail { get; set; }
}

internal static class PlainConsoleLogging
{
    /// <summary>The console logger with <see cref="PlainConsoleFormatter"/>, every line on stderr so stdout carries only results.</summary>
    public static ILoggingBuilder AddPlainConsole(this ILoggingBuilder builder, bool timestamps = false, bool detail = false) =>
        builder
            .AddConsole(o =>
            {
                o.FormatterName = PlainConsoleFormatter.Name;
                o.LogToStandardErrorThreshold = LogLevel.Trace;
            })
            .AddConsoleFormatter<PlainConsoleFormatter, PlainConsoleFormatterOptions>(o =>
            {
                o.Timestamps = timestamps;
                o.Detail = detail;
            });
}
