using System.CommandLine;
using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo resolve [--campaign] [--key K (--found VIDEO_ID | --send-again)]</c>: settles a create whose
/// outcome is unknown (sent once to an endpoint not trusted with the Idempotency-Key, answer lost). Without
/// <c>--key</c> it lists them with the callback_id to look for; with <c>--found</c> the row follows that video;
/// with <c>--send-again</c> (the operator's word that HeyGen made none) the next run sends it as a new attempt.
/// </summary>
internal static class ResolveCommand
{
    public static Command Create()
    {
        var campaign = CommandOptions.Campaign();
        var config = CommandOptions.Config();
        var key = new Option<string?>("--key") { Description = "The recipient key whose outcome is unknown (as the run's summary names it)." };
        var found = new Option<string?>("--found") { Description = "The video id found in HeyGen for it: the row follows that video (nothing is sent)." };
        var sendAgain = new Option<bool>("--send-again") { Description = "HeyGen made no video for it: the next run sends it again, as a new, paid attempt." };
        var sandbox = SandboxSession.Option("Settle in the sandbox's ledger (the run was made with run --sandbox).");
        var command = new Command("resolve", "List or settle creates whose outcome is unknown (a lost answer where HeyGen may have made a video).")
        {
            campaign, config, key, found, sendAgain, sandbox,
        };
        command.SetAction((parse, ct) => CommandOptions.GuardAsync(async () =>
        {
            var (configuration, baseDirectory) = CliConfiguration.Load(parse.GetValue(config), SandboxSession.LedgerOnly(parse.GetValue(sandbox)));
            using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, requireApiKey: false);
            var (name, _) = host.Services.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Resolve(parse.GetValue(campaign));
            var ledger = host.Services.GetRequiredService<LedgerStore>();
            await ledger.MigrateAsync(ct);
            var recipient = parse.GetValue(key);
            var videoId = parse.GetValue(found);
            var again = parse.GetValue(sendAgain);
            if (recipient is null)
            {
                if (videoId is not null || again)
                {
                    RunConsole.FatalLine("error: --found and --send-again need --key (the recipient to settle).");
                    return ExitCodes.Usage;
                }

                return await ListAsync(ledger, name, ct);
            }

            if ((videoId is null) == !again)
            {
                RunConsole.FatalLine("error: give exactly one of --found VIDEO_ID (HeyGen made it) or --send-again (HeyGen made none).");
                return ExitCodes.Usage;
            }

            var settled = videoId is not null
                ? await ledger.ResolveUnknownAsFoundAsync(name, recipient, videoId.Trim(), ct)
                : await ledger.ResolveUnknownAsSendAgainAsync(name, recipient, "sent again on the operator's word: no video was found for the earlier attempt", ct);
            if (!settled)
            {
                RunConsole.FatalLine($"error: recipient '{recipient}' of campaign {name} has no create whose outcome is unknown; 'batchvideo resolve' lists those that do.");
                return ExitCodes.Usage;
            }

            Console.WriteLine(videoId is not null
                ? $"Recorded video {videoId.Trim()} for '{recipient}' of campaign {name}: the next run follows it and writes it back; nothing is sent."
                : $"'{recipient}' of campaign {name} will be sent again by the next run, as a new attempt.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<int> ListAsync(LedgerStore ledger, string campaign, CancellationToken ct)
    {
        var unknown = await ledger.UnknownOutcomesAsync(campaign, ct);
        if (unknown.Count == 0)
        {
            Console.WriteLine($"Campaign {campaign}: no create with an unknown outcome.");
            return ExitCodes.Success;
        }

        Console.WriteLine($"Campaign {campaign}: {unknown.Count.ToString(CultureInfo.InvariantCulture)} create(s) with an unknown outcome; {UnknownOutcome.WhatToDo}.");
        foreach (var entry in unknown)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(entry.UpdatedAt).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            Console.WriteLine($"  {entry.RecipientKey}   callback_id {entry.TitleMarker}   attempt {entry.Attempt.ToString(CultureInfo.InvariantCulture)}   recorded {at}");
        }

        return ExitCodes.RowsNeedAttention;
    }
}
