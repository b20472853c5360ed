using System.CommandLine;

namespace BatchVideo.Cli;

/// <summary>How much a command prints while it works.</summary>
internal enum Verbosity
{
    /// <summary>Only the summary (for cron).</summary>
    Quiet,

    /// <summary>Progress (a live table on a terminal, plain lines otherwise) and warnings.</summary>
    Normal,

    /// <summary>Plain progress lines and every log message, down to each submitted row.</summary>
    Detailed,
}

/// <summary>The options several commands share, so they read the same everywhere.</summary>
internal static class CommandOptions
{
    public static Option<string> Csv(bool required) =>
        new("--csv") { Description = "The CSV export of recipients.", Required = required };

    public static Option<string?> Campaign() =>
        new("--campaign") { Description = "Campaign name from the configuration (default: DefaultCampaign)." };

    public static Option<string?> Key() =>
        new("--key") { Description = "Column that identifies a recipient (default: the campaign's KeyColumn, else id)." };

    public static Option<string?> Config() =>
        new("--config") { Description = "Configuration file (default ./appsettings.json)." };

    public static Option<bool> Json(string what) =>
        new("--json") { Description = $"Print {what} as JSON on stdout, for tools." };

    public static Option<Verbosity> Verbosity() =>
        new("--verbosity", "-v") { Description = "quiet: only the summary; normal: progress and warnings; detailed: plain progress lines and every log message.", DefaultValueFactory = _ => Cli.Verbosity.Normal };

    public static Option<bool> Quiet() =>
        new("--quiet") { Description = "Same as --verbosity quiet (for cron)." };

    /// <summary>
    /// Runs a command body; a fatal configuration, ledger or source problem prints what and where, and
    /// exits 2; an unexpected failure is one line and exit 1 (<see cref="CliErrors"/>).
    /// </summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C during validate or preview: nothing was paid for, there is just no complete answer.
            RunConsole.FatalLine("Cancelled before the end; nothing was sent to HeyGen.");
            return ExitCodes.RowsNeedAttention;
        }
        catch (Exception e)
        {
            return CliErrors.Report(e);
        }
    }
}
