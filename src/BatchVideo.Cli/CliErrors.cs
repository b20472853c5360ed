using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// How a command that stops early says why: a problem the operator can fix is listed in sentences with
/// exit code 2; anything else is a bug, told in one line with the full detail in a log file (exit code 1).
/// No stack trace reaches the console unless <c>--verbosity detailed</c>.
/// </summary>
internal static class CliErrors
{
    /// <summary>Prints what stopped the command and returns its exit code.</summary>
    public static int Report(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (ConfigurationProblems(e) is { } problems)
        {
            RunConsole.Fatal("Configuration is not valid:", problems);
            return ExitCodes.Usage;
        }

        switch (e)
        {
            case LedgerDamagedException damaged:
                RunConsole.Fatal(damaged.Headline, damaged.Details);
                return ExitCodes.Usage;
            case LedgerUnavailableException unavailable:
                RunConsole.Fatal(unavailable.Message, [], nothingSent: false);
                if (CrashLog.Verbose)
                {
                    Console.Error.WriteLine(unavailable);
                }

                return ExitCodes.Usage;
            case var _ when Databases.DatabaseProblem.Of(e) is Databases.DatabaseProblemKind.Login:
                RunConsole.Fatal(Databases.DatabaseProblem.LoginRefused(null, "the connection string (Ledger:ConnectionString, or the campaign's Source:ConnectionString)", e), []);
                return ExitCodes.Usage;
            case var _ when Databases.DatabaseProblem.Of(e) is { } problem and not Databases.DatabaseProblemKind.Disk:
                // Outside the ledger (which says where): a full disk or a read-only database of the CRM's.
                RunConsole.Fatal($"A database could not be written ({(problem == Databases.DatabaseProblemKind.Full ? "its disk is full" : "it is read-only")}: {Databases.DatabaseProblem.First(e)}). Fix it and run again.", []);
                return ExitCodes.Usage;
            case OperationCanceledException:
                // Ctrl+C where no command handled it: what was sent is in the ledger.
                RunConsole.FatalLine("Cancelled before the end; every create sent is recorded in the ledger, and a rerun carries on from there.");
                return ExitCodes.RowsNeedAttention;
            case ConfigurationException or TemplateException or SourceException or FileNotFoundException or SourceLockedException or TimeZoneNotFoundException:
                RunConsole.Fatal(e.Message, []);
                return ExitCodes.Usage;
            default:
                return CrashLog.Report(e);
        }
    }

    /// <summary>
    /// Every failure of the options' validation, once each: the host reports several options types'
    /// failures as an <see cref="AggregateException"/>. Null when <paramref name="e"/> is something else.
    /// </summary>
    public static IReadOnlyList<string>? ConfigurationProblems(Exception e)
    {
        IEnumerable<Exception> all = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [e];
        if (!all.Any() || !all.All(x => x is OptionsValidationException))
        {
            return null;
        }

        return [.. all.Cast<OptionsValidationException>().SelectMany(x => x.Failures).Distinct(StringComparer.Ordinal)];
    }
}

/// <summary>Where an unexpected failure's full detail goes: a log file beside the reports.</summary>
internal static class CrashLog
{
    /// <summary>The reports folder; set once the configuration is read (until then, reports/ in the working folder).</summary>
    public static string Folder { get; set; } = Path.GetFullPath("reports");

    /// <summary>Also print the full detail on the console (<c>--verbosity detailed</c>).</summary>
    public static bool Verbose { get; set; }

    public static int Report(Exception e)
    {
        var doing = "batchvideo " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
        var now = TimeProvider.System.GetUtcNow();
        string where;
        try
        {
            Directory.CreateDirectory(Folder);
            var path = Path.Combine(Folder, $"batchvideo-error-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.log");
            File.AppendAllText(path, $"{now:O} while running: {doing}{Environment.NewLine}{e}{Environment.NewLine}");
            where = $"the full detail is in {path}";
        }
        catch (Exception write) when (write is IOException or UnauthorizedAccessException)
        {
            where = $"the full detail could not be written to {Folder} ({write.Message.TrimEnd('.')}), so it follows";
            Verbose = true;
        }

        var what = e.Message.ReplaceLineEndings(" ").TrimEnd('.');
        Console.Error.WriteLine(
            $"error: '{doing}' stopped on an unexpected failure ({e.GetType().Name}: {what}); {where}. "
            + "Nothing was sent twice: every create is recorded in the ledger before it is sent, and a rerun carries on from there.");
        if (Verbose)
        {
            Console.Error.WriteLine(e);
        }

        return ExitCodes.Unexpected;
    }
}
