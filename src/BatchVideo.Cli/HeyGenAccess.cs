using BatchVideo.HeyGen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// Runs one account-level action (webhooks, templates) with a <see cref="HeyGenClient"/> built from the
/// configuration, or pointed at the sandbox account with <c>--sandbox</c>; HeyGen's refusals become one line and
/// an exit code.
/// </summary>
internal static class HeyGenAccess
{
    /// <summary>Exit 0 when <paramref name="action"/> ran; 2 for a refusal that stops a batch (key, unknown id), else 1.</summary>
    public static async Task<int> RunAsync(string? configPath, bool sandbox, Func<HeyGenClient, Task> action)
    {
        try
        {
            await using var account = await SandboxSession.OpenIfAsync(sandbox, configPath, CancellationToken.None);
            var (configuration, baseDirectory) = CliConfiguration.Load(configPath, account?.Overrides() ?? []);
            using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true);
            // Only the HeyGen section matters here; its validation (key, URL) runs as it is read.
            _ = host.Services.GetRequiredService<IOptions<HeyGenOptions>>().Value;
            await action(host.Services.GetRequiredService<HeyGenClient>());
            return ExitCodes.Success;
        }
        catch (HeyGenApiException e)
        {
            await Console.Error.WriteLineAsync("error: " + ConsoleText.Inert(e.Message));
            return e.Disposition == ErrorDisposition.StopBatch ? ExitCodes.Usage : ExitCodes.RowsNeedAttention;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return CliErrors.Report(e);
        }
    }
}
