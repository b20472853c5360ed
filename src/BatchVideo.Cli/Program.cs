using System.CommandLine;
using BatchVideo.Cli;

var root = new RootCommand("BatchVideo: one personalized HeyGen video per CRM row (avatar, Video Agent or Cinematic Avatar), written back to the row.")
{
    RunCommand.Create(),
    RefreshCommand.Create(),
    LinksCommand.Create(),
    PagesCommand.Create(),
    WebhooksCommand.Create(),
    HeyGenCommand.Create(),
    ValidateCommand.Create(),
    NamesCommand.Create(),
    PreviewCommand.Create(),
    TemplatesCommand.Create(),
    SandboxCommand.Create(),
    DbCommand.Create(),
    ServeCommand.Create(),
    TriggerCommand.Create(),
    StatusCommand.Create(),
    ReportsCommand.Create(),
    ApproveCommand.Create(),
    ResolveCommand.Create(),
};

if (args.Length == 0)
{
    return await UsageErrors.ShowHelpAsync(root);
}

var parsed = root.Parse(args);
NextCommand.Remember(parsed, args);
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync(UsageErrors.Sentence(error));
    }

    await Console.Error.WriteLineAsync("Run 'batchvideo --help' for usage.");
    return ExitCodes.Usage;
}

// A bug on any thread ends with one line and a log file, never a stack trace on the console.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    CliErrors.Report((Exception)e.ExceptionObject);
    Environment.Exit(ExitCodes.Unexpected);
};

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = StopSignals.TimeoutFor(parsed),
    });
}
catch (Exception e)
{
    return CliErrors.Report(e);
}
