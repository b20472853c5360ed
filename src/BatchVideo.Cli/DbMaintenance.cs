using System.CommandLine;
using BatchVideo.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo db check | backup | restore</c>: the ledger's health and its copies.</summary>
internal static class DbMaintenance
{
    private const string ServersOwnBackups =
        "is on a database server: a server ledger is the server's to back up and restore (pg_dump or SQL Server backups, or the provider's snapshots); BatchVideo copies only SQLite ledgers.";

    /// <summary>The --sandbox option's description on every db command.</summary>
    internal const string SandboxLedger = "The sandbox ledger (of runs made with --sandbox) instead of the real one.";

    public static Command Check()
    {
        var config = CommandOptions.Config();
        var sandbox = SandboxSession.Option(SandboxLedger);
        var command = new Command("check", "Run the engine's integrity check on the ledger (SQLite: PRAGMA integrity_check) and check its schema.") { config, sandbox };
        command.SetAction((parse, ct) => WithLedgerAsync(parse.GetValue(config), parse.GetValue(sandbox), async ledger =>
        {
            var check = await ledger.Health.CheckAsync(thorough: true, ct);
            if (!check.IsUsable)
            {
                throw await ledger.Health.DescribeDamageAsync(check, ct);
            }

            if (check.Absent)
            {
                Console.WriteLine($"No ledger at {check.Location} yet: nothing has been sent from this configuration.");
                return ExitCodes.Success;
            }

            var engine = ledger.Health.File is null ? "schema and migrations consistent" : "SQLite integrity check ok";
            Console.WriteLine($"Ledger at {check.Location} is sound: {engine}, schema version {check.Version}, {check.Entries:N0} entries.");
            if (ledger.Health.File is { } file)
            {
                var backups = SqliteLedgerFile.Backups(file);
                Console.WriteLine(backups.Count == 0 ? "No backups beside it yet." : $"{backups.Count} backup(s) beside it; newest {backups[0]}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Backup()
    {
        var config = CommandOptions.Config();
        var sandbox = SandboxSession.Option(SandboxLedger);
        var to = new Option<string?>("--to") { Description = "Where the copy goes (default: beside the ledger, named by the time, among the automatic backups)." };
        var command = new Command("backup", "Write a consistent copy of a SQLite ledger (SQLite's online backup: safe while a run writes).") { config, to, sandbox };
        command.SetAction((parse, ct) => WithLedgerAsync(parse.GetValue(config), parse.GetValue(sandbox), async ledger =>
        {
            if (ledger.Health.File is not { } file)
            {
                RunConsole.FatalLine($"error: the ledger {ledger.Location} {ServersOwnBackups}");
                return ExitCodes.Usage;
            }

            var check = await ledger.Health.CheckAsync(thorough: false, ct);
            if (!check.IsUsable)
            {
                throw await ledger.Health.DescribeDamageAsync(check, ct);
            }

            if (check.Absent)
            {
                RunConsole.FatalLine($"error: there is no ledger at {file} yet: nothing to back up.");
                return ExitCodes.Usage;
            }

            var destination = parse.GetValue(to) is { } path ? Path.GetFullPath(path) : SqliteLedgerFile.NextBackupPath(file, TimeProvider.System.GetUtcNow());
            SqliteLedgerFile.Backup(file, destination);
            Console.WriteLine($"Backed up the ledger {file} ({check.Entries:N0} entries, schema version {check.Version}) to {destination}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Restore()
    {
        var config = CommandOptions.Config();
        var sandbox = SandboxSession.Option(SandboxLedger);
        var from = new Option<string?>("--from") { Description = "The backup to put back (default: the newest good one beside the ledger)." };
        var command = new Command("restore", "Put a backup in the SQLite ledger's place; the file it replaces is kept beside it. No run may be using the ledger.") { config, from, sandbox };
        command.SetAction((parse, ct) => WithLedgerAsync(parse.GetValue(config), parse.GetValue(sandbox), async ledger =>
        {
            if (ledger.Health.File is not { } file)
            {
                RunConsole.FatalLine($"error: the ledger {ledger.Location} {ServersOwnBackups}");
                return ExitCodes.Usage;
            }

            var backup = parse.GetValue(from) is { } path ? Path.GetFullPath(path) : await ledger.Health.NewestGoodBackupAsync(ct);
            if (backup is null || !File.Exists(backup))
            {
                RunConsole.FatalLine(backup is null
                    ? $"error: no good backup of {file} was found beside it; name one with --from."
                    : $"error: the backup {backup} does not exist.");
                return ExitCodes.Usage;
            }

            var check = await new LedgerHealth(ledger.Dialect, $"Data Source={backup}", LedgerSafety.None, TimeProvider.System).CheckAsync(thorough: true, ct);
            if (!check.IsUsable || check.Absent)
            {
                RunConsole.Fatal($"The backup {backup} cannot be restored:", check.Absent ? ["it holds no ledger."] : check.Problems);
                return ExitCodes.Usage;
            }

            var keptAs = SqliteLedgerFile.Restore(backup, file, TimeProvider.System.GetUtcNow());
            Console.WriteLine($"Restored the ledger {file} from {backup} ({check.Entries:N0} entries, schema version {check.Version}).");
            Console.WriteLine(keptAs is null ? "There was no ledger file to replace." : $"The file it replaced is kept as {keptAs}.");
            Console.WriteLine("Rows sent after that backup was taken are not in it: their creates replay with the same Idempotency-Key within 24 hours, and rows already written back to the source are never sent again.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Task<int> WithLedgerAsync(string? configPath, bool sandbox, Func<LedgerStore, Task<int>> action) =>
        CommandOptions.GuardAsync(async () =>
        {
            var (configuration, baseDirectory) = CliConfiguration.Load(configPath, SandboxSession.LedgerOnly(sandbox));
            using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: false, requireApiKey: false);
            return await action(host.Services.GetRequiredService<LedgerStore>());
        });
}
