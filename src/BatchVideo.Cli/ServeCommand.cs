using System.CommandLine;
using BatchVideo.Ledger;
using BatchVideo.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo serve</c>: the unattended host. Quartz runs each campaign on its cron schedule and the
/// completion job follows videos in flight; HTTP serves health, webhooks, triggers and read-only pages on
/// <c>Serve:Urls</c>, behind <see cref="ServeAccess"/>.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var urls = new Option<string?>("--urls") { Description = "Where HTTP listens (default Serve:Urls, else http://127.0.0.1:5080)." };
        var sandbox = SandboxSession.Option("Run against the sandbox account and its ledger (as run --sandbox does).");
        var command = new Command("serve", "Run the scheduled campaigns and follow their videos until stopped (SIGTERM / Ctrl+C).") { config, urls, sandbox };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var listen = parse.GetValue(urls) ?? CliConfiguration.Load(parse.GetValue(config), new Dictionary<string, string?>()).Configuration["Serve:Urls"] ?? "http://127.0.0.1:5080";
                // serve's default port is the sandbox account's: then the account is served on a free port while serve runs.
                var clash = listen.Contains($":{SandboxSession.AccountPort}", StringComparison.Ordinal);
                await using var account = await SandboxSession.OpenIfAsync(parse.GetValue(sandbox), parse.GetValue(config), ct, clash ? 0 : null);
                var (configuration, baseDirectory) = CliConfiguration.Load(parse.GetValue(config), account?.Overrides() ?? []);
                await using var app = Build(configuration, baseDirectory, listen);
                await app.Services.GetRequiredService<LedgerStore>().MigrateAsync(ct);
                var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BatchVideo.Serve");
                // An unattended log says why it ends: here, because the process was asked to (SIGTERM, Ctrl+C);
                // a failure ends it through CliErrors below with its own sentence.
                app.Lifetime.ApplicationStopping.Register(() => LogStopping(log, app.Lifetime.ApplicationStarted.IsCancellationRequested ? "the process was asked to stop (SIGTERM or Ctrl+C)" : "it could not start"));
                await app.RunAsync();
                LogStopped(log);
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return CliErrors.Report(e);
            }
        });
        return command;
    }

    internal static WebApplication Build(IConfiguration configuration, string baseDirectory, string urls)
    {
        var adminToken = configuration[ServeAccess.TokenKey];
        ServeAccess.Check(urls, adminToken);
        var webhookPath = configuration["Serve:WebhookPath"] ?? "/webhooks/heygen";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddPlainConsole(timestamps: true)
            .AddFilter("Polly", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Quartz", LogLevel.Warning);
        // A run asked to stop records what it sent; give it time to do so before the host gives up.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        builder.Services.AddBatchVideo(configuration, baseDirectory);
        builder.Services.AddBatchVideoScheduling(configuration, runJobs: true);
        builder.Services.AddRecipientPageServing();
        builder.Services.AddSingleton(sp => new ServeHealth(
            sp.GetRequiredService<ISchedulerFactory>(),
            ServeHealth.ForLedger(sp.GetRequiredService<LedgerStore>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ServeHealth>>()));
        var app = builder.Build();
        var pagesAt = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Pages.PagesOptions>>().Value.PublicBaseUrl;
        var guard = ServeRequestGuard.For(urls, adminToken, configuration[ServeRequestGuard.AllowedHostsKey], "/healthz", webhookPath)
            .WithPublicPages(pagesAt);
        if (guard.ListensEverywhere)
        {
            app.Logger.LogWarning(
                "serve listens on every interface: it answers for IP addresses and {Names} only; add the public name HeyGen and browsers use to {Key}",
                string.Join(", ", guard.HostNames),
                ServeRequestGuard.AllowedHostsKey);
        }

        if (PagesMissed(urls, pagesAt) is { } missed)
        {
            app.Logger.LogWarning(
                "Pages:PublicBaseUrl is {Published}, a loopback address serve does not listen on ({Urls}): recipient pages there will not reach it; start serve with --urls {Missed}",
                pagesAt!.AbsoluteUri,
                urls,
                missed);
        }

        app.UseRequestGuard(guard);
        app.UseAdminToken(adminToken, "/healthz", webhookPath);
        app.MapServePages();
        app.MapRecipientPages();
        app.MapGet("/healthz", async (ServeHealth health, CancellationToken ct) =>
        {
            var report = await health.CheckAsync(ct);
            return Results.Json(report, statusCode: report.Down.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        // HeyGen's signed deliveries (register this URL with `batchvideo webhooks register`); polling by the
        // completion job remains the safety net for any delivery that never comes.
        app.MapHeyGenWebhooks(webhookPath);
        app.MapPost("/campaigns/{name}/trigger", async (string name, ISchedulerFactory schedulers, CancellationToken ct) =>
        {
            var scheduler = await schedulers.GetScheduler(ct);
            if (await scheduler.GetJobDetail(CampaignJob.KeyFor(name), ct) is null)
            {
                return Results.NotFound(new { error = $"no table campaign named {name}" });
            }

            await scheduler.TriggerJob(CampaignJob.KeyFor(name), null!, ct);
            return Results.Accepted();
        });
        return app;
    }

    /// <summary>
    /// The address serve should listen on when <paramref name="pagesAt"/> is a loopback address (pages being tried on
    /// this machine) whose port none of <paramref name="urls"/> listens on, as when the sample's pages (5081) meet
    /// serve's default 5080; null when the pages reach serve, or are published elsewhere (a proxy, another host).
    /// </summary>
    internal static string? PagesMissed(string urls, Uri? pagesAt)
    {
        if (pagesAt is not { IsLoopback: true })
        {
            return null;
        }

        var ports = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => System.Text.RegularExpressions.Regex.Match(u, @":(\d+)/?$"))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        return ports.Contains(pagesAt.Port) ? null : pagesAt.GetLeftPart(UriPartial.Authority);
    }

    // LoggerMessage.Define rather than [LoggerMessage]: this project sees the logging generator twice (the
    // ASP.NET shared framework's and the package's), which the source generator cannot tell apart.
    private static readonly Action<ILogger, string, Exception?> LogStoppingMessage =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(1, "Stopping"), "Stopping: {Reason}; runs in progress record what they sent first");

    private static readonly Action<ILogger, Exception?> LogStoppedMessage =
        LoggerMessage.Define(LogLevel.Information, new EventId(2, "Stopped"), "Stopped; the next start carries on from the ledger");

    private static void LogStopping(ILogger logger, string reason) => LogStoppingMessage(logger, reason, null);

    private static void LogStopped(ILogger logger) => LogStoppedMessage(logger, null);
}
