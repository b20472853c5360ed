using System.CommandLine;
using System.Net;
using BatchVideo.HeyGen;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo heygen templates list|show</c>: what the HeyGen account holds, read-only. Kept apart from
/// <c>batchvideo templates check</c>, which checks BatchVideo's own Scriban templates.
/// </summary>
internal static class HeyGenCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var sandbox = SandboxSession.Option("Read the sandbox account's templates.");
        var id = new Argument<string>("template-id") { Description = "The template's id, as 'heygen templates list' shows it." };

        var list = new Command("list", "List the account's API-ready templates (those with variables).") { config, sandbox };
        list.SetAction((parse, ct) => HeyGenAccess.RunAsync(parse.GetValue(config), parse.GetValue(sandbox), async client =>
        {
            var templates = await client.ListTemplatesAsync(ct).ToListAsync(ct);
            TemplateListing.WriteList(Console.Out, templates);
        }));

        var show = new Command("show", "Show one template's variables (name, type, current value), scenes and revision, and a Variables snippet.")
        {
            id, config, sandbox,
        };
        show.SetAction(async (parse, ct) =>
        {
            var templateId = parse.GetRequiredValue(id);
            var notFound = false;
            var exit = await HeyGenAccess.RunAsync(parse.GetValue(config), parse.GetValue(sandbox), async client =>
            {
                try
                {
                    TemplateListing.WriteDetail(Console.Out, await client.GetTemplateAsync(templateId, ct));
                }
                catch (HeyGenApiException e) when (e.Status == HttpStatusCode.NotFound)
                {
                    notFound = true;
                }
            });
            if (!notFound)
            {
                return exit;
            }

            await Console.Error.WriteLineAsync(
                $"error: HeyGen has no template '{ConsoleText.Inert(templateId)}' in this account (404). List them with: batchvideo heygen templates list");
            return ExitCodes.Usage;
        });

        return new Command("heygen", "Read what the HeyGen account holds.")
        {
            new Command("templates", "The account's HeyGen templates (not BatchVideo's Scriban templates: see 'templates check').") { list, show },
        };
    }
}
