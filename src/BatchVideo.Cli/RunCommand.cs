using System.CommandLine;
using BatchVideo.Campaigns;
using BatchVideo.Sandbox;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo run</c>: a campaign over a CSV file, now, in this process.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var csv = new Option<string?>("--csv") { Description = "The CSV export of recipients (without it, the campaign's configured table is read)." };
        var campaign = new Option<string?>("--campaign") { Description = "Campaign name from the configuration (default: DefaultCampaign)." };
        var key = new Option<string?>("--key") { Description = "Column that identifies a recipient (default: the campaign's KeyColumn, else id)." };
        var output = new Option<string?>("--out") { Description = "Write the results to this file instead of updating the CSV in place." };
        var sandbox = new Option<bool>("--sandbox") { Description = "Run against a local HeyGen sandbox started in this process (no API key needed)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once every row is submitted; a later run follows the videos and writes them back." };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Send again the rows whose video failed in an earlier run (a new, paid attempt)." };
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary (for cron)." };
        var maxCredits = new Option<double?>("--max-credits") { Description = "Stop submitting once the estimated spend reaches this many credits; rows not sent stay pending." };

        var command = new Command("run", "Render, submit, follow and write back one video per row of a CSV file or of the campaign's table.")
        {
            csv, campaign, key, output, sandbox, noWait, retryFailed, config, quiet, maxCredits,
        };
        command.SetAction((parse, ct) => RunAsync(
            new RunArguments(
                parse.GetValue(csv),
                parse.GetValue(campaign),
                parse.GetValue(key),
                parse.GetValue(output),
                parse.GetValue(sandbox),
                parse.GetValue(noWait),
                parse.GetValue(retryFailed),
                parse.GetValue(config),
                parse.GetValue(quiet),
                parse.GetValue(maxCredits)),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(RunArguments args, CancellationToken ct)
    {
        var console = new RunConsole(args.Quiet);
        SandboxServer? sandbox = null;
        try
        {
            var overrides = new Dictionary<string, string?>();
            if (args.Sandbox)
            {
                var sandboxOptions = SandboxCommand.LoadOptions(args.ConfigPath);
                sandbox = await SandboxServer.StartAsync(sandboxOptions, 0, ct);
                overrides["HeyGen:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri;
                overrides["HeyGen:ApiKey"] = "sandbox";
                overrides["HeyGen:PollInterval"] = TimeSpan.FromMilliseconds(500).ToString();
                // Sandbox videos are not real: they must never mark a recipient done in the real ledger.
                overrides["Ledger:ConnectionString"] = "Data Source=batchvideo-sandbox-ledger.db";
                console.Note($"Using the local HeyGen sandbox at {sandbox.BaseAddress} (renders take {sandboxOptions.RenderTime.TotalSeconds:0.#} s; nothing is paid).");
            }

            var (configuration, baseDirectory) = CliConfiguration.Load(args.ConfigPath, overrides);
            using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Information, onlyErrors: console.IsInteractive || args.Quiet);
            await host.StartAsync(ct);
            var runner = host.Services.GetRequiredService<CampaignRunner>();
            var csvPath = args.Csv is null ? null : Path.GetFullPath(args.Csv);
            var outPath = args.Out is null ? null : Path.GetFullPath(args.Out);
            using var fileLock = csvPath is null ? null : SourceLock.Acquire(outPath ?? csvPath);
            Func<string, WriteBackColumns, IRecipientSource>? openCsv = csvPath is null
                ? null
                : (keyColumn, columns) => CsvContactSource.Open(csvPath, keyColumn, columns, outPath);
            var request = new RunRequest(args.Campaign, args.Key, openCsv)
            {
                NoWait = args.NoWait,
                RetryFailed = args.RetryFailed,
                MaxCredits = args.MaxCredits,
            };
            var prepared = await runner.PrepareAsync(request, ct);
            var progress = new RunProgress();
            var summary = await console.ShowProgressAsync(progress, runner.RunAsync(prepared, progress, ct));
            RunConsole.PrintSummary(summary);
            await host.StopAsync(CancellationToken.None);
            return summary.ExitCode;
        }
        catch (OptionsValidationException e)
        {
            RunConsole.Fatal("Configuration is not valid:", e.Failures);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is ConfigurationException or TemplateException or SourceException or FileNotFoundException or SourceLockedException)
        {
            RunConsole.Fatal(e.Message, []);
            return ExitCodes.Usage;
        }
        finally
        {
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync();
            }
        }
    }

    private sealed record RunArguments(
        string? Csv,
        string? Campaign,
        string? Key,
        string? Out,
        bool Sandbox,
        bool NoWait,
        bool RetryFailed,
        string? ConfigPath,
        bool Quiet,
        double? MaxCredits);
}
