using System.CommandLine;
using BatchVideo.Campaigns;
using BatchVideo.Sandbox;
using BatchVideo.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo sandbox</c>: the HeyGen-compatible local server on its own.</summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port to listen on (0 picks a free one).", DefaultValueFactory = _ => 5080 };
        var renderTime = new Option<double?>("--render-time") { Description = "Seconds a video takes to render (default: Sandbox:RenderTime or 2)." };
        var rate = new Option<double?>("--rate") { Description = "Requests per second before 429 (0: no limit)." };
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var command = new Command("sandbox", "Run the HeyGen-compatible sandbox server alone, until Ctrl+C.") { port, renderTime, rate, config };
        command.SetAction((parse, ct) => CommandOptions.GuardAsync(async () =>
        {
            var options = LoadOptions(parse.GetValue(config));
            if (parse.GetValue(renderTime) is { } seconds)
            {
                options = options with { RenderTime = TimeSpan.FromSeconds(seconds) };
            }

            if (parse.GetValue(rate) is { } perSecond)
            {
                options = options with { RequestsPerSecond = perSecond };
            }

            // The standalone server says what a real API would do silently (fields it ignores).
            using var logging = LoggerFactory.Create(builder => builder.AddPlainConsole());
            options = options with { LoggerFactory = logging };
            await using var server = await SandboxServer.StartAsync(options, parse.GetValue(port), ct);
            Console.WriteLine($"HeyGen sandbox listening on {server.BaseAddress} (any x-api-key; Ctrl+C stops it)");
            Console.WriteLine($"Avatars: {string.Join(", ", options.AvatarIds)}; voices: {string.Join(", ", options.VoiceIds)}");
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The Sandbox section of the configuration, when there is one.</summary>
    public static SandboxOptions LoadOptions(string? configPath)
    {
        var path = Path.GetFullPath(configPath ?? "appsettings.json");
        // A real account's pace, scaled down so a first run ends in seconds: renders grow with the script
        // (about 3 s per video second on HeyGen, divided by 60 here) and spread by a fifth either way.
        var options = new SandboxOptions { RenderTimePerVideoSecond = TimeSpan.FromMilliseconds(50), RenderJitter = 0.2 };
        if (!File.Exists(path))
        {
            return options;
        }

        var configuration = CliConfiguration.Build(new ConfigurationBuilder().AddJsonFile(path).AddEnvironmentVariables());
        if (SettingsCheck.Apply(configuration, [("Sandbox", typeof(SandboxOptions))]).Problems is { Count: > 0 } problems)
        {
            throw new ConfigurationException(string.Join(" ", problems.Select(p => p.Message)));
        }

        var section = configuration.GetSection("Sandbox");
        return options with
        {
            RenderTime = section.GetValue("RenderTime", options.RenderTime),
            RequestsPerSecond = section.GetValue("RequestsPerSecond", options.RequestsPerSecond),
            RenderTimePerVideoSecond = section.GetValue("RenderTimePerVideoSecond", options.RenderTimePerVideoSecond),
            RenderJitter = section.GetValue("RenderJitter", options.RenderJitter),
            MaxConcurrentJobs = section.GetValue("MaxConcurrentJobs", options.MaxConcurrentJobs),
            JobLimitRetryAfter = section.GetValue<TimeSpan?>("JobLimitRetryAfter", options.JobLimitRetryAfter),
            OtherJobs = section.GetValue("OtherJobs", options.OtherJobs),
            RemainingCredits = section.GetValue("RemainingCredits", options.RemainingCredits),
            CreditsPerMinute = section.GetValue("CreditsPerMinute", options.CreditsPerMinute),
            WebhookRetryDelay = section.GetValue("WebhookRetryDelay", options.WebhookRetryDelay),
            WebhookRetryHorizon = section.GetValue("WebhookRetryHorizon", options.WebhookRetryHorizon),
            WebhookDropRate = section.GetValue("WebhookDropRate", options.WebhookDropRate),
            WebhookDuplicateRate = section.GetValue("WebhookDuplicateRate", options.WebhookDuplicateRate),
            DownloadInterruptions = section.GetValue("DownloadInterruptions", options.DownloadInterruptions),
            RefuseFieldsInNoSchema = section.GetValue("RefuseFieldsInNoSchema", options.RefuseFieldsInNoSchema),
            PageRequiresLogin = section.GetValue("PageRequiresLogin", options.PageRequiresLogin),
            WalletCurrency = section.GetValue("WalletCurrency", options.WalletCurrency)!,
        };
    }
}
