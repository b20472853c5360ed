using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BatchVideo.Campaigns;
using BatchVideo.HeyGen;
using BatchVideo.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo preview</c>: the scripts, titles and exact create requests a run would send for its
/// first rows or one row. Nothing is sent and nothing is written; the API key is never shown.
/// </summary>
internal static class PreviewCommand
{
    public const string RedactedKey = "***redacted***";

    public static Command Create()
    {
        var csv = CommandOptions.Csv(required: true);
        var campaign = CommandOptions.Campaign();
        var key = CommandOptions.Key();
        var config = CommandOptions.Config();
        var limit = new Option<int>("--limit") { Description = "How many rows that would be sent to show.", DefaultValueFactory = _ => 5 };
        var row = new Option<string?>("--row") { Description = "Show only the row of this recipient key." };
        var json = CommandOptions.Json("the rows and their requests");
        var sandbox = SandboxSession.Option("Read the sandbox ledger (rows done by --sandbox runs count as done).");
        var command = new Command("preview", "Show the scripts, titles and exact requests a run would send, without sending anything.")
        {
            csv, campaign, key, config, limit, row, json, sandbox,
        };
        command.SetAction((parse, ct) => CommandOptions.GuardAsync(() => PreviewAsync(
            parse.GetRequiredValue(csv),
            parse.GetValue(campaign),
            parse.GetValue(key),
            parse.GetValue(config),
            Math.Max(1, parse.GetValue(limit)),
            parse.GetValue(row),
            parse.GetValue(json),
            parse.GetValue(sandbox),
            ct)));
        return command;
    }

    private static async Task<int> PreviewAsync(string csv, string? campaign, string? key, string? configPath, int limit, string? row, bool json, bool sandbox, CancellationToken ct)
    {
        var (configuration, baseDirectory) = CliConfiguration.Load(configPath, SandboxSession.LedgerOnly(sandbox));
        // A template campaign's bodies come from its HeyGen template: with --sandbox, the sandbox account serves it.
        await using var account = await SandboxSession.OpenIfAsync(sandbox && TemplateCampaigns.ReadsTemplate(configuration, baseDirectory, campaign), configPath, ct);
        if (account is not null)
        {
            (configuration, baseDirectory) = CliConfiguration.Load(configPath, account.Overrides());
        }

        using var host = AppHost.Build(configuration, baseDirectory, Verbosity.Quiet, liveDisplay: false, requireApiKey: false);
        await host.StartAsync(ct);
        var csvPath = Path.GetFullPath(csv);
        var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(
            new RunRequest(campaign, key, (keyColumn, columns) => CsvContactSource.Open(csvPath, keyColumn, columns)) { DryRun = true },
            ct);
        var items = host.Services.GetRequiredService<CampaignPreview>().PreviewAsync(prepared, limit, row, ct);
        var (shown, sendable) = json
            ? await WriteJsonAsync(prepared, items)
            : await WriteTextAsync(prepared, items, limit, row);
        await host.StopAsync(CancellationToken.None);
        if (row is not null && shown == 0)
        {
            Console.Error.WriteLine($"Exit 1: no row of {prepared.Source.Name} has the key '{row}'.");
            return ExitCodes.RowsNeedAttention;
        }

        if (sendable == 0)
        {
            Console.Error.WriteLine($"Exit 1: no row shown would be sent (reasons above); '{NextCommand.For("validate", "--csv", csv)}' lists every problem.");
            return ExitCodes.RowsNeedAttention;
        }

        return ExitCodes.Success;
    }

    private static async Task<(int Shown, int Sendable)> WriteTextAsync(PreparedRun run, IAsyncEnumerable<PreviewItem> items, int limit, string? row)
    {
        Console.WriteLine($"Preview of campaign {run.Campaign}: {run.Source.Name}");
        Console.WriteLine(row is null
            ? $"  The first {limit} row(s) a run would send, and any row skipped on the way. Nothing is sent or written."
            : $"  The row of key '{row}'. Nothing is sent or written.");
        int shown = 0, sendable = 0;
        await foreach (var item in items)
        {
            shown++;
            var verdict = item.Verdict;
            Console.WriteLine();
            if (item.Request is not { } request)
            {
                Console.WriteLine($"line {verdict.Row.Line}{(verdict.Key is null ? "" : $", key {verdict.Key}")}: not sent: {WhyNot(verdict)}");
                continue;
            }

            sendable++;
            var script = request.Create.Text;
            Console.WriteLine($"line {verdict.Row.Line}, key {verdict.Key}: would be sent");
            if (run.VideoType.IsSpoken)
            {
                var estimate = VideoEstimate.Of(script, run.Options);
                if (request.Create.Type != VideoTypes.Avatar)
                {
                    // A template video: what its scenes say with the row's values in place, then the exact body.
                    Console.WriteLine($"  type:   {request.Create.Type}");
                }

                Console.WriteLine($"  title:  {request.Create.Title}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  script: {script.Length} characters, {estimate.Words} words{(estimate.Characters > 0 ? $" and {estimate.Characters} characters timed by character" : "")}, about {estimate.Minutes:0.0} min"));
            }
            else
            {
                Console.WriteLine($"  type:   {request.Create.Type}");
                Console.WriteLine($"  title:  {request.Create.Title ?? "(none: the agent request has no title; callback_id carries the marker)"}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  prompt: {script.Length} characters, about {VideoRequests.MinutesOf(run.Options, script) * 60:0} s assumed"));
            }

            foreach (var line in script.Split('\n'))
            {
                Console.WriteLine("    | " + line.TrimEnd('\r'));
            }

            if (verdict.Rendered is { Spoken: not null, Script: { } crmSpelling })
            {
                // Respellings (Pronunciations): the lines above are spoken; the review page and the CRM keep these.
                Console.WriteLine("  shown (as the CRM spells it; the video speaks the respelled lines above):");
                foreach (var line in crmSpelling.Split('\n'))
                {
                    Console.WriteLine("    | " + line.TrimEnd('\r'));
                }
            }

            Console.WriteLine("  request:");
            Console.WriteLine($"    POST {request.Url}");
            Console.WriteLine($"    x-api-key: {RedactedKey}");
            Console.WriteLine($"    {HeyGenClient.IdempotencyHeader}: {request.IdempotencyKey}");
            Console.WriteLine("    Content-Type: application/json; charset=utf-8");
            Console.WriteLine("    " + request.Body);
        }

        return (shown, sendable);
    }

    private static async Task<(int Shown, int Sendable)> WriteJsonAsync(PreparedRun run, IAsyncEnumerable<PreviewItem> items)
    {
        int shown = 0, sendable = 0;
        await using var stdout = Console.OpenStandardOutput();
        await using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            await foreach (var item in items)
            {
                shown++;
                var verdict = item.Verdict;
                json.WriteStartObject();
                json.WriteNumber("line", verdict.Row.Line);
                json.WriteString("key", verdict.Key);
                json.WriteString("fate", verdict.Fate.ToString().ToLowerInvariant());
                if (item.Request is { } request)
                {
                    sendable++;
                    json.WriteString("title", request.Create.Title);
                    if (run.VideoType.IsSpoken)
                    {
                        if (request.Create.Type != VideoTypes.Avatar)
                        {
                            json.WriteString("type", request.Create.Type);
                        }

                        json.WriteString("script", request.Create.Text);
                    }
                    else
                    {
                        json.WriteString("type", request.Create.Type);
                        json.WriteString("prompt", request.Create.Text);
                    }

                    if (verdict.Rendered is { Spoken: not null, Script: { } crmSpelling })
                    {
                        json.WriteString("shown", crmSpelling); // as the CRM spells it; the request speaks the respelling
                    }

                    json.WriteStartObject("request");
                    json.WriteString("method", "POST");
                    json.WriteString("url", request.Url.AbsoluteUri);
                    json.WriteStartObject("headers");
                    json.WriteString("x-api-key", RedactedKey);
                    json.WriteString(HeyGenClient.IdempotencyHeader, request.IdempotencyKey);
                    json.WriteString("Content-Type", "application/json; charset=utf-8");
                    json.WriteEndObject();
                    json.WritePropertyName("body");
                    json.WriteRawValue(request.Body);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteString("reason", WhyNot(verdict));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        await stdout.WriteAsync("\n"u8.ToArray());
        return (shown, sendable);
    }

    private static string WhyNot(RowVerdict verdict) => verdict switch
    {
        { Problem: { } problem } => $"{problem.Outcome.Name()}: {problem.Reason}",
        { Fate: RowFate.AlreadyDone } => "already done (the ledger or the file has its video)",
        { Fate: RowFate.Rendering } => "already submitted; its video is rendering and a run follows it",
        { Fate: RowFate.InProgressElsewhere } => "in progress elsewhere (another worker holds it under a live lease)",
        _ => verdict.Fate.ToString().ToLowerInvariant(),
    };
}
