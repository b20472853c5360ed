using System.CommandLine;
using BatchVideo.Cli;

var root = new RootCommand("BatchVideo: one personalized HeyGen avatar video per CRM row, written back to the row.")
{
    RunCommand.Create(),
    RefreshCommand.Create(),
    WebhooksCommand.Create(),
    ValidateCommand.Create(),
    PreviewCommand.Create(),
    TemplatesCommand.Create(),
    SandboxCommand.Create(),
    DbCommand.Create(),
    ServeCommand.Create(),
    TriggerCommand.Create(),
    StatusCommand.Create(),
    ApproveCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync(error.Message);
    }

    await Console.Error.WriteLineAsync("Run 'batchvideo --help' for usage.");
    return ExitCodes.Usage;
}

return await parsed.InvokeAsync();
