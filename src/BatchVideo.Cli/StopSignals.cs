using System.CommandLine;

namespace BatchVideo.Cli;

/// <summary>
/// How long a command may take to stop after SIGTERM or Ctrl+C. System.CommandLine cancels the command's token on
/// the signal and, by default, ends the process two seconds later whatever the command is doing
/// (<c>InvocationConfiguration.ProcessTerminationTimeout</c>): too soon for a create already sent to be answered
/// and recorded.
/// </summary>
internal static class StopSignals
{
    /// <summary>
    /// For a command that pays HeyGen or records what it asked (<c>run</c>, <c>names</c>, <c>resolve</c>,
    /// <c>refresh</c>): a request already sent gets up to 30 s to answer (<c>VideoSubmitter.StopGrace</c>), then
    /// the command writes back and reports; the rest is room for a large write-back. A second signal does not cut it
    /// short; <c>kill -9</c> does, and the ledger still holds every create (replayed with its key by the next run).
    /// </summary>
    public static readonly TimeSpan SendingGrace = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The termination timeout for the parsed command: none for <c>serve</c>, whose web host answers the signals
    /// itself and waits up to its own <c>ShutdownTimeout</c>; <see cref="SendingGrace"/> for a command that sends;
    /// System.CommandLine's default for the rest, which only read.
    /// </summary>
    public static TimeSpan? TimeoutFor(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.CommandResult.Command.Name switch
        {
            "serve" => null,
            "run" or "names" or "resolve" or "refresh" => SendingGrace,
            _ => new InvocationConfiguration().ProcessTerminationTimeout,
        };
    }
}
