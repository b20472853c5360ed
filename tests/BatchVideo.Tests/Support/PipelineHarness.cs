using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using BatchVideo.Campaigns;
using BatchVideo.Cli;
using BatchVideo.Sandbox;
using BatchVideo.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Tests.Support;

/// <summary>
/// A real pipeline against a real sandbox over loopback HTTP, in a folder of its own: configuration,
/// template, CSV and SQLite ledger are files, exactly as an operator has them.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const string Template = "Hi {{ first_name }}! Here is a short video for {{ company }}.";

    private PipelineHarness(TempFolder folder, SandboxServer sandbox)
    {
        Folder = folder;
        Sandbox = sandbox;
    }

    public TempFolder Folder { get; }

    public SandboxServer Sandbox { get; }

    public string ConfigPath => Folder.File("appsettings.json");

    /// <summary>Environment variables the CLI processes this harness starts get (e.g. <c>HeyGen__MaxConcurrency</c>).</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public static async Task<PipelineHarness> StartAsync(SandboxOptions? options = null)
    {
        var folder = new TempFolder();
        // Our own client must send only fields a schema names: a typo in its body fails the test here.
        var sandbox = await SandboxServer.StartAsync((options ?? new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300) }) with { RefuseFieldsInNoSchema = true });
        var harness = new PipelineHarness(folder, sandbox);
        folder.Write("welcome.sbn", Template);
        harness.WriteConfig();
        return harness;
    }

    /// <summary>Points the campaign at a table of <paramref name="database"/>; the ledger goes there too unless told otherwise.</summary>
    public void UseTable(TestDatabase database, string table, string? filter = null, bool ledgerInSameDatabase = true, Action<JsonObject>? change = null) =>
        WriteConfig(c =>
        {
            c["Campaigns"]!["welcome"]!["Source"] = new JsonObject
            {
                ["Engine"] = database.EngineName,
                ["ConnectionString"] = database.ConnectionString,
                ["Table"] = table,
                ["Filter"] = filter,
                ["PageSize"] = 50,
                ["UpdatedAtColumn"] = "video_updated_at",
            };
            if (ledgerInSameDatabase)
            {
                c["Ledger"] = new JsonObject { ["Engine"] = database.EngineName, ["ConnectionString"] = database.ConnectionString, ["ClaimLease"] = "00:00:05" };
            }

            change?.Invoke(c);
        });

    /// <summary>Writes appsettings.json with test-friendly pacing; <paramref name="change"/> edits it.</summary>
    public void WriteConfig(Action<JsonObject>? change = null)
    {
        var config = new JsonObject
        {
            ["DefaultCampaign"] = "welcome",
            ["Campaigns"] = new JsonObject
            {
                ["welcome"] = new JsonObject
                {
                    ["Template"] = "welcome.sbn",
                    ["TitleTemplate"] = "Welcome {{ first_name }}",
                    ["AvatarId"] = "sandbox_avatar_anna",
                    ["VoiceId"] = "sandbox_voice_en_warm",
                    ["KeyColumn"] = "id",
                },
            },
            ["HeyGen"] = new JsonObject
            {
                ["BaseUrl"] = Sandbox.BaseAddress.AbsoluteUri,
                ["ApiKey"] = "test-key",
                ["PollInterval"] = "00:00:00.100",
                ["MaxConcurrency"] = 8,
                ["RequestsPerSecond"] = 2000,
                ["MaxRetries"] = 10,
                ["AttemptTimeout"] = "00:00:02",
            },
            ["Ledger"] = new JsonObject { ["ConnectionString"] = "Data Source=ledger.db" },
        };
        change?.Invoke(config);
        File.WriteAllText(ConfigPath, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A CSV of <paramref name="rows"/> contacts with keys C-1..C-n.</summary>
    public string WriteCsv(int rows, string name = "contacts.csv", Func<int, string>? firstName = null)
    {
        var text = new StringBuilder("id,first_name,company\n");
        for (var i = 1; i <= rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"C-{i},{firstName?.Invoke(i) ?? "Name" + i},\"Company {i}, Inc.\"\n");
        }

        return Folder.Write(name, text.ToString());
    }

    /// <summary>Runs the pipeline in this process, through the same host the CLI builds.</summary>
    /// <param name="wrap">Wraps the CSV source (a test that counts its reads).</param>
    /// <param name="services">Adds to the host's services (a test that records HeyGen traffic).</param>
    public async Task<RunSummary> RunAsync(string? csv, bool noWait = false, bool retryFailed = false, TimeProvider? time = null, double? maxCredits = null, bool dryRun = false, Func<IRecipientSource, IRecipientSource>? wrap = null, Action<IServiceCollection>? services = null, CancellationToken ct = default)
    {
        var extra = services;
        var (configuration, baseDirectory) = CliConfiguration.Load(ConfigPath, new Dictionary<string, string?>());
        using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, services =>
        {
            if (time is not null)
            {
                services.AddSingleton(time);
            }

            if (TraceFileLoggerProvider.PathFromEnvironment is { } trace)
            {
                services.AddLogging(b => b.AddProvider(new TraceFileLoggerProvider(trace)).SetMinimumLevel(LogLevel.Debug).AddFilter<TraceFileLoggerProvider>((_, _) => true));
            }

            extra?.Invoke(services);
        });
        await host.StartAsync(ct);
        var runner = host.Services.GetRequiredService<CampaignRunner>();
        var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(
            new RunRequest(null, null, csv is null ? null : (key, columns) => Wrap(CsvContactSource.Open(csv, key, columns), wrap)) { NoWait = noWait, RetryFailed = retryFailed, MaxCredits = maxCredits, DryRun = dryRun },
            ct);
        var summary = await runner.RunAsync(prepared, new RunProgress(), ct);
        await host.StopAsync(CancellationToken.None);
        return summary;
    }

    /// <summary>Runs <c>validate</c> (without the HeyGen pre-flight unless <paramref name="online"/>) in this process, through the same host the CLI builds.</summary>
    /// <param name="onProblem">Given each problem row as validate streams it.</param>
    public async Task<RunSummary> ValidateAsync(string? csv, Func<IRecipientSource, IRecipientSource>? wrap = null, bool online = false, Action<RowProblem>? onProblem = null)
    {
        var (configuration, baseDirectory) = CliConfiguration.Load(ConfigPath, new Dictionary<string, string?>());
        using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, _ => { });
        await host.StartAsync();
        var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(
            new RunRequest(null, null, csv is null ? null : (key, columns) => Wrap(CsvContactSource.Open(csv, key, columns), wrap)) { DryRun = true },
            CancellationToken.None);
        var summary = await host.Services.GetRequiredService<CampaignValidator>().ValidateAsync(prepared, new RunProgress(), online ? null : "offline", onProblem, CancellationToken.None);
        await host.StopAsync(CancellationToken.None);
        return summary;
    }

    private static IRecipientSource Wrap(IRecipientSource source, Func<IRecipientSource, IRecipientSource>? wrap) => wrap is null ? source : wrap(source);

    /// <summary>The ledger of this harness's configuration, on the given clock.</summary>
    public BatchVideo.Ledger.LedgerStore Ledger(TimeProvider time)
    {
        var ledger = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ConfigPath))!["Ledger"]!;
        var engine = BatchVideo.Databases.DatabaseEngine.Parse(ledger["Engine"]?.GetValue<string>());
        var connection = ledger["ConnectionString"]!.GetValue<string>();
        if (engine.Kind == BatchVideo.Databases.EngineKind.Sqlite && connection == "Data Source=ledger.db")
        {
            connection = $"Data Source={Folder.File("ledger.db")}";
        }

        return new(BatchVideo.Ledger.LedgerDialect.For(engine.Kind), connection, time);
    }

    /// <summary>The markers of every video the sandbox created, one per paid video.</summary>
    public IReadOnlyList<string> CreatedMarkers() =>
        [.. Sandbox.Videos.Select(v => v.Title ?? "").Select(t => t[(t.LastIndexOf('[') + 1)..].TrimEnd(']'))];

    /// <summary>Starts the real batchvideo executable.</summary>
    public Process StartCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove(CliConfiguration.ApiKeyVariable);
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    public async Task<CliResult> RunCliAsync(params string[] args)
    {
        using var process = StartCli(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static string CliPath
    {
        get
        {
            var beside = Path.Combine(AppContext.BaseDirectory, "batchvideo.dll");
            return File.Exists(Path.Combine(AppContext.BaseDirectory, "batchvideo.runtimeconfig.json"))
                ? beside
                : throw new FileNotFoundException("batchvideo.dll with its runtimeconfig is not beside the tests", beside);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}

/// <summary>What a batchvideo process printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error);
