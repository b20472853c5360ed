using System.CommandLine;
using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.Names;
using BatchVideo.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo names</c>: hear every distinct name of a campaign (its <c>Pronounce</c> columns) in its voice before
/// paying for a video: one speech preview per distinct name, voice and settings, kept in the ledger, and a listening
/// page to type respellings into. No video is created.
/// </summary>
internal static class NamesCommand
{
    public static Command Create()
    {
        var csv = CommandOptions.Csv(required: false);
        var campaign = CommandOptions.Campaign();
        var key = CommandOptions.Key();
        var config = CommandOptions.Config();
        var sandbox = SandboxSession.Option("Ask the local HeyGen sandbox account for the previews (nothing is paid; its own ledger).");
        var maxSpend = new Option<double?>("--max-spend")
        {
            Description = "Ask for nothing when the new previews would cost more than this, in the account's unit (USD for a USD wallet, else credits).",
        };
        var command = new Command("names", "Hear every distinct name of the campaign in its voice (speech previews, no video) and write a listening page to fix them with respellings.")
        {
            csv, campaign, key, config, sandbox, maxSpend,
        };
        command.SetAction((parse, ct) => CommandOptions.GuardAsync(() => NamesAsync(
            parse.GetValue(csv), parse.GetValue(campaign), parse.GetValue(key), parse.GetValue(config), parse.GetValue(sandbox), parse.GetValue(maxSpend), ct)));
        return command;
    }

    private static async Task<int> NamesAsync(string? csv, string? campaign, string? key, string? configPath, bool sandbox, double? maxSpend, CancellationToken ct)
    {
        await using var account = await SandboxSession.OpenIfAsync(sandbox, configPath, ct);
        if (account is not null)
        {
            Console.WriteLine($"Using the HeyGen sandbox at {account.BaseAddress} (nothing is paid).");
        }

        var (configuration, baseDirectory) = CliConfiguration.Load(configPath, account?.Overrides() ?? []);
        NamesOutcome outcome;
        using (var host = AppHost.Build(configuration, baseDirectory, Verbosity.Quiet, liveDisplay: false))
        {
            await host.StartAsync(ct);
            var csvPath = csv is null ? null : Path.GetFullPath(csv);
            var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(
                new RunRequest(campaign, key, csvPath is null ? null : (keyColumn, columns) => CsvContactSource.Open(csvPath, keyColumn, columns))
                {
                    Command = (verb, arguments) => NextCommand.For(verb, arguments),
                },
                ct);
            outcome = await host.Services.GetRequiredService<SpeechPreviewer>().RunAsync(prepared, maxSpend, ct);
            await host.StopAsync(CancellationToken.None);
        }

        Print(outcome);
        return outcome.Stopped is not null || outcome.Failed.Count > 0 ? ExitCodes.RowsNeedAttention : ExitCodes.Success;
    }

    private static void Print(NamesOutcome o)
    {
        var invariant = CultureInfo.InvariantCulture;
        var respelled = o.Names.Names.Count(n => n.Respelled);
        Console.WriteLine(ConsoleText.Inert(string.Create(invariant,
            $"Names of campaign {o.Campaign}: {o.Names.Names.Count:N0} distinct in {o.Names.RowsRead:N0} rows ({o.Names.RowsSkipped:N0} unreadable rows skipped), {respelled} respelled.")));
        if (o.Estimate is { } e)
        {
            Console.WriteLine(ConsoleText.Inert($"  Estimate: {SpeechPreviewer.Amount(e.Cost, e.Unit)} for {e.Previews} new preview(s), {SpeechPreviewer.Describe(e)}; speech is not a video, so no render slot is used."));
        }

        Console.WriteLine(ConsoleText.Inert(string.Create(invariant,
            $"  Previews: {o.Asked} asked for now ({o.SecondsMade:0.#} s of audio), {o.FromLedger} already in the ledger, {o.Failed.Count} refused. No video was created.")));
        foreach (var (_, why) in o.Failed.Take(5))
        {
            Console.WriteLine(ConsoleText.Inert("  refused: " + why));
        }

        if (o.PagePath is { } page)
        {
            Console.WriteLine($"  Listening page: {page}");
        }

        if (o.Stopped is { } stopped)
        {
            RunConsole.FatalLine($"Exit 1: {stopped}.");
        }
    }
}
