using System.CommandLine;
using BatchVideo.Campaigns;
using BatchVideo.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo run</c>: a campaign over a CSV file, now, in this process.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var csv = CommandOptions.Csv(required: false);
        var campaign = CommandOptions.Campaign();
        var key = CommandOptions.Key();
        var output = new Option<string?>("--out") { Description = "Write the results to this file instead of updating the CSV in place." };
        var sandbox = SandboxSession.Option("Run against the local HeyGen sandbox account (no API key needed; its own ledger; results into <csv>.sandbox.csv unless --out).");
        var noWait = new Option<bool>("--no-wait") { Description = "Return once every row is submitted; a later run follows the videos and writes them back." };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Send again the rows whose video failed in an earlier run (a new, paid attempt)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Everything but the creates: pre-flight, read, check and render every row, count what would be sent; no ledger claim, no write-back." };
        var config = CommandOptions.Config();
        var verbosity = CommandOptions.Verbosity();
        var quiet = CommandOptions.Quiet();
        var maxCredits = new Option<double?>("--max-spend", "--max-credits")
        {
            Description = "Stop submitting once the estimated spend reaches this much, in the account's unit (USD for a USD wallet, else credits); rows not sent stay pending. --max-credits is the old name.",
        };
        var sample = new Option<int?>("--sample") { Description = "Create only the first N rows that would be sent, wait for them and write the review page (a sample to approve)." };
        var sampleKeys = new Option<string?>("--sample-keys") { Description = "Create only the rows of these keys (comma-separated), as a sample." };

        var command = new Command("run", "Render, submit, follow and write back one video per row of a CSV file or of the campaign's table.")
        {
            csv, campaign, key, output, sandbox, noWait, retryFailed, dryRun, config, verbosity, quiet, maxCredits, sample, sampleKeys,
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
                parse.GetValue(dryRun),
                parse.GetValue(config),
                parse.GetValue(quiet) ? Verbosity.Quiet : parse.GetValue(verbosity),
                parse.GetValue(maxCredits))
            {
                Sample = parse.GetValue(sample),
                SampleKeys = parse.GetValue(sampleKeys)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            },
            ct));
        return command;
    }

    private static async Task<int> RunAsync(RunArguments args, CancellationToken ct)
    {
        var console = new RunConsole(args.Verbosity);
        SandboxSession? sandbox = null;
        try
        {
            return await CommandOptions.GuardAsync(async () =>
            {
                if (args.Sample is <= 0 || (args.Sample is not null && args.SampleKeys is { Length: > 0 }) || (args.NoWait && (args.Sample is not null || args.SampleKeys is not null)))
                {
                    throw new Campaigns.ConfigurationException("--sample takes a number above 0, --sample-keys a list of keys; use one of them, and not with --no-wait (a sample waits for its videos).");
                }

                var overrides = new Dictionary<string, string?>();
                var outFile = args.Out;
                if (args.Sandbox)
                {
                    var sandboxOptions = SandboxCommand.LoadOptions(args.ConfigPath);
                    sandbox = await SandboxSession.OpenAsync(args.ConfigPath, sandboxOptions, port: null, mayJoin: true, ct);
                    overrides = sandbox.Overrides();
                    console.Note(sandbox.Server is null
                        ? $"Using the HeyGen sandbox running at {sandbox.BaseAddress} (nothing is paid)."
                        : $"Using the local HeyGen sandbox at {sandbox.BaseAddress} (renders take {sandboxOptions.RenderTime.TotalSeconds:0.#} s; nothing is paid).");
                    if (outFile is null && args.Csv is not null && !args.DryRun)
                    {
                        outFile = SandboxResults.CopyOf(args.Csv);
                        console.Note($"Sandbox results go to {outFile}, not into {args.Csv}: a sandbox video must never mark a row done (pass --out to choose the file).");
                    }
                }

                var (configuration, baseDirectory) = CliConfiguration.Load(args.ConfigPath, overrides);
                RunSummary summary;
                Uri? pagesAt;
                using (var host = AppHost.Build(configuration, baseDirectory, args.Verbosity, console.IsInteractive))
                {
                    await host.StartAsync(ct);
                    var runner = host.Services.GetRequiredService<CampaignRunner>();
                    var csvPath = args.Csv is null ? null : Path.GetFullPath(args.Csv);
                    var outPath = outFile is null ? null : Path.GetFullPath(outFile);

                    // A dry run writes nothing, so it needs no lock and never waits for another run.
                    using var fileLock = args.DryRun || csvPath is null ? null : SourceLock.Acquire(outPath ?? csvPath);
                    if (!args.DryRun && csvPath is not null && FileReplacement.Refusal(outPath ?? csvPath) is { } refusal)
                    {
                        throw new SourceException(refusal); // before anything is paid: the results could not be written back
                    }

                    Func<string, WriteBackColumns, IRecipientSource>? openCsv = csvPath is null
                        ? null
                        : (keyColumn, columns) => CsvContactSource.Open(csvPath, keyColumn, columns, outPath);
                    var request = new RunRequest(args.Campaign, args.Key, openCsv)
                    {
                        NoWait = args.NoWait,
                        RetryFailed = args.RetryFailed,
                        DryRun = args.DryRun,
                        MaxCredits = args.MaxCredits,
                        Sample = args.Sample,
                        SampleKeys = args.SampleKeys,
                        Command = (verb, arguments) => NextCommand.For(verb, arguments),
                    };
                    var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(request, ct);
                    pagesAt = prepared.PagesAt;
                    if (prepared.Source is CsvContactSource { Footer: { } footer })
                    {
                        console.Note(footer);
                    }
                    if (args.DryRun)
                    {
                        console.Note("Dry run: every row is read, checked and rendered; nothing is created, claimed or written back.");
                    }

                    var progress = new RunProgress();
                    summary = await console.ShowProgressAsync(progress, prepared.Source, validating: false, runner.RunAsync(prepared, progress, ct), noWait: args.NoWait || args.DryRun);
                    await host.StopAsync(CancellationToken.None);
                }

                // The host is gone, so every log line is out before the summary and its exit line.
                RunConsole.PrintSummary(summary);
                if (sandbox is not null && summary.WrittenTo is not null && !args.DryRun)
                {
                    Console.WriteLine(SandboxResults.LinksNote(sandbox.BaseAddress, summary.WrittenTo, pagesAt));
                }

                return summary.ExitCode;
            });
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
        bool DryRun,
        string? ConfigPath,
        Verbosity Verbosity,
        double? MaxCredits)
    {
        public int? Sample { get; init; }

        public string[]? SampleKeys { get; init; }
    }
}
