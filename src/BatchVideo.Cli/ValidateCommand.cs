using System.CommandLine;
using System.Text.Json;
using BatchVideo.Campaigns;
using BatchVideo.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo validate</c>: every row read, checked and rendered as <c>run</c> would, every problem
/// listed, counts and an estimate of minutes and credits; nothing paid, nothing written but reports.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var csv = CommandOptions.Csv(required: true);
        var campaign = CommandOptions.Campaign();
        var key = CommandOptions.Key();
        var config = CommandOptions.Config();
        var json = CommandOptions.Json("the counts, estimate and every problem");
        var offline = new Option<bool>("--offline") { Description = "Skip the pre-flight check of the API key, avatar and voice against HeyGen." };
        var verbosity = CommandOptions.Verbosity();
        var quiet = CommandOptions.Quiet();
        var sandbox = SandboxSession.Option("Check against the sandbox account and its ledger (as run --sandbox would).");
        var command = new Command("validate", "Check and render every row as run would, and estimate the cost, without sending anything.")
        {
            csv, campaign, key, config, json, offline, verbosity, quiet, sandbox,
        };
        command.SetAction((parse, ct) => CommandOptions.GuardAsync(() => ValidateAsync(
            parse.GetRequiredValue(csv),
            parse.GetValue(campaign),
            parse.GetValue(key),
            parse.GetValue(config),
            parse.GetValue(json),
            parse.GetValue(offline),
            parse.GetValue(quiet) ? Verbosity.Quiet : parse.GetValue(verbosity),
            parse.GetValue(sandbox),
            ct)));
        return command;
    }

    private static async Task<int> ValidateAsync(string csv, string? campaign, string? key, string? configPath, bool json, bool offline, Verbosity verbosity, bool sandbox, CancellationToken ct)
    {
        // With --json, stdout is the document alone.
        var console = new RunConsole(json ? Verbosity.Quiet : verbosity);
        await using var account = await SandboxSession.OpenIfAsync(sandbox && !offline, configPath, ct);
        var (configuration, baseDirectory) = CliConfiguration.Load(configPath, account?.Overrides() ?? SandboxSession.LedgerOnly(sandbox));
        var skipPreflight = offline ? "--offline"
            : string.IsNullOrWhiteSpace(configuration["HeyGen:ApiKey"]) ? $"no API key configured (set {CliConfiguration.ApiKeyVariable} to check the key, avatar and voice)"
            : null;
        using var problems = new ProblemSpool();
        RunSummary summary;
        using (var host = AppHost.Build(configuration, baseDirectory, console.Verbosity, console.IsInteractive, requireApiKey: false))
        {
            await host.StartAsync(ct);
            var csvPath = Path.GetFullPath(csv);
            var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(
                new RunRequest(campaign, key, (keyColumn, columns) => CsvContactSource.Open(csvPath, keyColumn, columns)) { DryRun = true },
                ct);
            if (prepared.Source is CsvContactSource { Footer: { } footer })
            {
                console.Note(footer);
            }

            var progress = new RunProgress { RetainProblems = false };
            var validator = host.Services.GetRequiredService<CampaignValidator>();
            summary = await console.ShowProgressAsync(
                progress, prepared.Source, validating: true, validator.ValidateAsync(prepared, progress, skipPreflight, problems.Add, ct));
            await host.StopAsync(CancellationToken.None);
        }

        // The host is gone, so every log line is out before the summary and its exit line.
        if (json)
        {
            await WriteJsonAsync(summary, problems.ReadAll());
        }
        else
        {
            RunConsole.PrintValidation(summary, problems.ReadAll());
        }

        return summary.ExitCode;
    }

    private static async Task WriteJsonAsync(RunSummary summary, IEnumerable<RowProblem> problems)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("campaign", summary.Campaign);
        json.WriteString("source", summary.Source);
        json.WriteNumber("exitCode", summary.ExitCode);
        json.WriteString("preflight", summary.Preflight);
        json.WriteStartObject("counts");
        json.WriteNumber("read", summary.Read);
        json.WriteNumber("ok", summary.Read - summary.Rejected);
        json.WriteNumber("rejected", summary.Rejected);
        json.WriteNumber("alreadyDone", summary.AlreadyDone);
        json.WriteNumber("inProgressElsewhere", summary.InProgressElsewhere);
        json.WriteNumber("rendering", summary.Rendering);
        json.WriteNumber("failedEarlier", summary.Failed);
        json.WriteNumber("toSubmit", summary.WouldSubmit);
        json.WriteEndObject();
        if (summary.Estimate is { } estimate)
        {
            json.WriteStartObject("estimate");
            json.WriteNumber("words", estimate.Words);
            json.WriteNumber("wordsPerMinute", estimate.WordsPerMinute);
            json.WriteNumber("characters", estimate.Characters);
            json.WriteNumber("minutes", Math.Round(estimate.Minutes, 2));
            json.WriteNumber("creditsPerMinute", estimate.CreditsPerMinute);
            json.WriteNumber("credits", Spend.Round(estimate.Credits, estimate.Unit));
            json.WriteString("unit", estimate.Unit);
            json.WriteString("cost", Spend.Amount(estimate));
            json.WriteBoolean("unitAssumed", estimate.UnitAssumed);
            json.WriteEndObject();
        }

        json.WriteStartArray("problems");
        foreach (var problem in problems)
        {
            json.WriteStartObject();
            json.WriteNumber("line", problem.Line);
            json.WriteString("key", problem.Key);
            json.WriteString("column", problem.Column);
            json.WriteString("kind", problem.Outcome.Name());
            json.WriteString("code", problem.Code);
            json.WriteString("reason", problem.Reason);
            json.WriteEndObject();
            if (json.BytesPending > 1 << 16)
            {
                await json.FlushAsync();
            }
        }

        json.WriteEndArray();
        json.WriteString("report", summary.ReportPath);
        json.WriteString("rejects", summary.RejectsPath);
        json.WriteEndObject();
        await json.FlushAsync();
        await stdout.WriteAsync("\n"u8.ToArray());
    }
}
