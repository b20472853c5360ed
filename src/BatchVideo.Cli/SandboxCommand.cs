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
        var command = new Command("sandbox", "Serve the sandbox account (the HeyGen-compatible local server) alone, until Ctrl+C; its videos and links are those --sandbox runs made.")
        {
            port, renderTime, rate, config, SandboxReset.Create(),
        };
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
            await using var account = await SandboxSession.OpenAsync(parse.GetValue(config), options, parse.GetValue(port), mayJoin: false, ct);
            Console.WriteLine($"HeyGen sandbox listening on {account.BaseAddress} (any x-api-key; Ctrl+C stops it)");
            Console.WriteLine($"Account: {Path.Combine(SandboxSession.FolderOf(parse.GetValue(config)), SandboxSession.JournalFile)} ({account.Server!.Videos.Count} videos so far; '{NextCommand.For("sandbox reset")}' starts over)");
            Console.WriteLine($"Avatars: {string.Join(", ", options.AvatarIds)}; voices: {string.Join(", ", options.VoiceIds)}");
            Console.WriteLine($"Templates: tpl_sandbox_welcome, tpl_sandbox_tour ('batchvideo heygen templates show <id> --sandbox'); POST {account.BaseAddress}sandbox/templates/<id>/save saves one as HeyGen's editor would (its revision moves)");
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

        // One bind: every setting of SandboxOptions can be set from the Sandbox section, each documented switch
        // included. A list given in configuration replaces the default one (the binder would append to it);
        // a table (prices, look statuses and engines) is merged key by key.
        var section = configuration.GetSection("Sandbox");
        foreach (var property in typeof(SandboxOptions).GetProperties())
        {
            if (property.CanWrite && IsList(property.PropertyType) && section.GetSection(property.Name).Exists())
            {
                property.SetValue(options, null);
            }
        }

        section.Bind(options);
        return options;
    }

    /// <summary>A list-like setting (ids, ordinals), as opposed to a text or a keyed table.</summary>
    private static bool IsList(Type type) =>
        type != typeof(string)
        && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
        && !(type.IsGenericType && type.GetGenericTypeDefinition() is var definition
             && (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>)));
}
