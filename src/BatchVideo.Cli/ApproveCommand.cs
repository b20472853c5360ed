using System.CommandLine;
using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo approve [--campaign]</c>: records in the ledger that the campaign's sample was watched and
/// approved, so a campaign with <c>RequireApproval</c> sends the rest of its rows. The approval holds for the
/// campaign as configured now (template, title, avatar look, voice, framing) and only if its latest sample
/// was of that configuration.
/// </summary>
internal static class ApproveCommand
{
    public static Command Create()
    {
        var campaign = CommandOptions.Campaign();
        var config = CommandOptions.Config();
        var sandbox = SandboxSession.Option( "Approve in the sandbox's ledger (the sample was made with run --sandbox).");
        var command = new Command("approve", "Approve a campaign's sample, so its runs send the rest of the batch.") { campaign, config, sandbox };
        command.SetAction((parse, ct) => CommandOptions.GuardAsync(async () =>
        {
            var (configuration, baseDirectory) = CliConfiguration.Load(parse.GetValue(config), SandboxSession.LedgerOnly(parse.GetValue(sandbox)));
            // A HeyGen template campaign's approval covers the template as saved now: its revision is read from HeyGen.
            var readsTemplate = TemplateCampaigns.ReadsTemplate(configuration, baseDirectory, parse.GetValue(campaign));
            await using var account = await SandboxSession.OpenIfAsync(parse.GetValue(sandbox) && readsTemplate, parse.GetValue(config), ct);
            if (account is not null)
            {
                (configuration, baseDirectory) = CliConfiguration.Load(parse.GetValue(config), account.Overrides());
            }

            using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, requireApiKey: readsTemplate);
            var (name, options) = host.Services.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Resolve(parse.GetValue(campaign));
            var ledger = host.Services.GetRequiredService<LedgerStore>();
            await ledger.MigrateAsync(ct);
            var revision = readsTemplate
                ? (await host.Services.GetRequiredService<HeyGen.HeyGenClient>().GetTemplateAsync(options.TemplateId!, ct)).RevisionMarker
                : null;
            var fingerprint = ApprovalFingerprint.Of(options, revision);
            if (await ledger.ApproveAsync(name, fingerprint, ct))
            {
                var approval = await ledger.GetApprovalAsync(name, ct);
                var at = DateTimeOffset.FromUnixTimeMilliseconds(approval!.SampledAt ?? 0).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
                Console.WriteLine($"Approved campaign {name}: its sample of {approval.SampleRows} row(s) made {at}. Its runs now send the rest of the batch.");
                return ExitCodes.Success;
            }

            var existing = await ledger.GetApprovalAsync(name, ct);
            RunConsole.FatalLine(existing is null
                ? $"error: campaign {name} has no sample to approve: make one with 'batchvideo run --sample 5 …' and review its page first."
                : $"error: campaign {name} changed (template, title, avatar look, voice or framing) since its sample: make a new sample with 'batchvideo run --sample 5 …', review it, then approve.");
            return ExitCodes.Usage;
        }));
        return command;
    }
}
