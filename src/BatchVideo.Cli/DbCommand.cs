using System.CommandLine;
using BatchVideo.Ledger;
using BatchVideo.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo db migrate</c>: creates or upgrades the ledger's tables, and says what it did (check, backup, restore: <see cref="DbMaintenance"/>).</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var sandbox = SandboxSession.Option(DbMaintenance.SandboxLedger);
        var migrate = new Command("migrate", "Apply the ledger's pending schema migrations (safe to run on every deploy).") { config, sandbox };
        migrate.SetAction(async (parse, ct) =>
        {
            try
            {
                var (configuration, baseDirectory) = CliConfiguration.Load(parse.GetValue(config), SandboxSession.LedgerOnly(parse.GetValue(sandbox)));
                using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: false, requireApiKey: false);
                var ledger = host.Services.GetRequiredService<LedgerStore>();
                var applied = await ledger.MigrateAsync(ct);
                Console.WriteLine(applied.Count == 0
                    ? $"Ledger at {ledger.Location} is up to date (version {ledger.Dialect.Migrations.Max(m => m.Version)})."
                    : $"Ledger at {ledger.Location}: applied {string.Join(", ", applied.Select(m => $"{m.Version} ({m.Description})"))}.");
                var serve = configuration.GetSection(ServeOptions.Section).Get<ServeOptions>() ?? new ServeOptions();
                if (serve.IsPersistent)
                {
                    // Quartz creates the job store tables it misses (never alters existing ones) as its store starts;
                    // the scheduler is shut down before it fires anything.
                    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
                    builder.Services.AddBatchVideoScheduling(configuration, runJobs: false);
                    using var quartzHost = builder.Build();
                    var scheduler = await quartzHost.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
                    await scheduler.Standby(ct);
                    await scheduler.Shutdown(false, ct);
                    Console.WriteLine($"Quartz job store ({serve.JobStore}) is provisioned.");
                }

                return ExitCodes.Success;
            }
            catch (System.Data.Common.DbException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return CliErrors.Report(e);
            }
        });
        return new Command("db", "Ledger database administration.") { migrate, DbMaintenance.Check(), DbMaintenance.Backup(), DbMaintenance.Restore() };
    }
}
