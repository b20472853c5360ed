using System.CommandLine;
using BatchVideo.Campaigns;
using BatchVideo.Sandbox.State;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo sandbox reset</c>: the sandbox account and its ledger start over, empty.</summary>
internal static class SandboxReset
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var command = new Command("reset", "Forget the sandbox account (videos, keys, wallet, webhooks) and the sandbox ledger, to start over.") { config };
        command.SetAction(parse => CommandOptions.GuardAsync(() =>
        {
            var folder = SandboxSession.FolderOf(parse.GetValue(config));
            // Only while no process serves the account: its videos would live on in that process.
            try
            {
                SandboxJournal.Open(Path.Combine(folder, SandboxSession.JournalFile)).Dispose();
            }
            catch (SandboxAccountInUseException e)
            {
                throw new ConfigurationException($"{e.Message} Stop it first, then reset.", e);
            }

            var removed = 0;
            foreach (var file in SandboxSession.Files(folder).Where(File.Exists).ToList())
            {
                File.Delete(file);
                removed++;
            }

            Console.WriteLine($"Sandbox account and ledger in {folder} reset ({removed} file(s) removed); the next --sandbox run starts with an empty account.");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
