using BatchVideo.Campaigns.Types;
using BatchVideo.Databases;
using BatchVideo.Ledger;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Campaigns;

/// <summary>
/// Prepares a campaign for any command (run, dry run, validate, preview, refresh, the scheduled jobs):
/// its options, templates, source header and ledger, and the run's send gate, all checked before a
/// request is sent. Every problem here is fatal (<see cref="ConfigurationException"/>).
/// </summary>
public sealed partial class CampaignLoader(LedgerStore ledger, IOptions<BatchVideoOptions> options, TemplateReader templates, IOptions<Pages.PagesOptions> pages, TimeProvider time, ILogger<CampaignLoader> logger)
{
    /// <summary>Checks everything that can be checked before a request is sent. Throws on a fatal problem.</summary>
    public async Task<PreparedRun> PrepareAsync(RunRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (name, campaign) = options.Value.Resolve(request.Campaign);
        if (campaign.Engine == "avatar_iii")
        {
            // D-PRICE: Avatar III is "existing customers only"; HeyGen's models page says it is not reachable through POST /v3/videos.
            LogAvatarIii(logger, name);
        }

        var keyColumn = request.KeyColumn ?? campaign.KeyColumn;
        var type = VideoTypes.Of(campaign);
        var scriptName = type.UsesScriptFile ? campaign.Template : $"Campaigns:{name}:Variables";
        // A HeyGen template's text is its Variables: parsed together, they get the same column checks as a script file.
        var script = type.UsesScriptFile ? ScriptTemplate.Load(campaign.Template) : ScriptTemplate.Parse(string.Join('\n', campaign.Variables.Values), scriptName);
        var title = campaign.TitleTemplate is { Length: > 0 } text
            ? ScriptTemplate.Parse(text, $"Campaigns:{name}:TitleTemplate")
            : null;
        var source = request.OpenSource is not null
            ? request.OpenSource(keyColumn, campaign.Columns)
            : await OpenTableAsync(name, campaign, keyColumn, ct);
        var renderer = new ScriptRenderer(script, title, source.Columns, campaign.OptionalColumns, campaign.Defaults, type.MaxRenderedLength)
        {
            AcceptedProblems = campaign.AcceptProblems.ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
        var unknown = renderer.UnknownVariables();
        if (unknown.Count > 0)
        {
            throw new ConfigurationException(
                $"{string.Join(", ", unknown.Select(v => $"'{v}'"))} used by {scriptName} {(unknown.Count == 1 ? "is" : "are")} not a column of {source.Name}. Its columns are: {string.Join(", ", source.Columns)}.");
        }

        if (renderer.ClashingVariables() is { Count: > 0 } clashes)
        {
            throw new ConfigurationException(string.Join(" ", clashes.Select(c =>
                $"'{c.Variable}' used by {scriptName}{(title is null ? "" : " or the title")} is the name of {c.Columns.Count} columns of {source.Name}: "
                + $"{string.Join(" and ", c.Columns.Select(h => $"'{h}'"))}, so which one a row would speak is a guess. "
                + $"Read each by its header instead ({string.Join(", ", c.Columns.Select(h => $"{{{{ row[\"{h}\"] }}}}"))}), or rename or remove one of them.")));
        }

        if (request.MaxCredits is { } budget && !(budget > 0))
        {
            throw new ConfigurationException("--max-spend must be a number above 0.");
        }

        var hasLedger = true;
        if (request.DryRun)
        {
            // A dry run changes nothing: no migration, and no ledger file where there was none.
            hasLedger = await ledger.StatusAsync(ct) switch
            {
                LedgerStatus.Current => true,
                LedgerStatus.Absent => false,
                _ => throw new ConfigurationException(
                    "The ledger was made by an older BatchVideo and needs an upgrade that a dry run does not make; one normal run applies it."),
            };
        }
        else
        {
            await ledger.MigrateAsync(ct);
        }

        // A template campaign's template is read here, once for the run, and checked before any row (exit 2 on a misfit).
        var template = type.UsesScriptFile ? null : await templates.BindAsync(name, campaign, source.Columns, ct);
        return new PreparedRun(name, campaign, source, renderer, request)
        {
            HasLedger = hasLedger,
            VideoType = type,
            Template = template,
            Gate = await GateAsync(name, campaign, request, template?.Template.RevisionMarker, ct),
            Pricing = options.Value.Pricing,
            Choices = RowChoiceReader.For(campaign, source),
            Respellings = Names.Respellings.For(name, campaign, source.Columns),
            PagesAt = campaign.Pages.Enabled ? pages.Value.PublicBaseUrl : null,
            PageTexts = Pages.PageTextRenderer.For(name, campaign, source.Columns, source.Name),
        };
    }

    private async Task<IRecipientSource> OpenTableAsync(string name, CampaignOptions campaign, string keyColumn, CancellationToken ct)
    {
        var table = campaign.Source
            ?? throw new ConfigurationException($"Campaign '{name}' has no Source table: pass --csv <file>, or configure Campaigns:{name}:Source.");
        if (string.IsNullOrWhiteSpace(table.ConnectionString))
        {
            throw new ConfigurationException(
                $"Campaigns:{name}:Source has no connection string: set the environment variable {Settings.EnvironmentSetting.Name($"Campaigns:{name}:Source:ConnectionString")} "
                + $"(in bash: {Settings.EnvironmentSetting.HowToSet($"Campaigns:{name}:Source:ConnectionString")}), or ConnectionStrings__<name> with Source:ConnectionStringName, or user secrets.");
        }

        DatabaseEngine engine;
        try
        {
            engine = DatabaseEngine.Parse(table.Engine);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"Campaigns:{name}:Source:Engine: {e.Message}", e);
        }

        return await SqlTableSource.OpenAsync(engine, table.ConnectionString, table, keyColumn, campaign.Columns, time, ct);
    }

    /// <summary>
    /// The gate of a run, decided before it starts: a sample's rows; nothing for a campaign that requires
    /// approval and has none for its current configuration; otherwise none (every row may be sent).
    /// </summary>
    private async Task<SendGate?> GateAsync(string name, CampaignOptions campaign, RunRequest request, string? templateRevision, CancellationToken ct)
    {
        if (request.Sample is not null || request.SampleKeys is { Count: > 0 })
        {
            return SendGate.Sample(request.Sample, request.SampleKeys);
        }

        if (!campaign.RequireApproval || request.DryRun)
        {
            return null;
        }

        var fingerprint = ApprovalFingerprint.Of(campaign, templateRevision);
        var approval = await ledger.GetApprovalAsync(name, ct);
        return approval switch
        {
            { ApprovedAt: not null } when approval.Fingerprint == fingerprint => null,
            null => SendGate.Closed(
                $"campaign {name} requires approval: nothing is sent before a sample is approved. Make one with 'run --sample 5', review its page, then '{request.Command("approve", ["--campaign", name])}'."),
            _ when approval.Fingerprint != fingerprint => SendGate.Closed(
                $"campaign {name} changed (template, title, avatar look, voice or framing{(templateRevision is null ? "" : ", or its HeyGen template was saved")}) since its sample; make a new sample with 'run --sample 5' and approve it."),
            _ => SendGate.Closed(
                $"the sample of campaign {name} ({approval.SampleRows} rows) awaits approval: review its page, then '{request.Command("approve", ["--campaign", name])}'."),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {Campaign} uses Engine avatar_iii: HeyGen offers Avatar III only to existing customers (developers.heygen.com/docs/pricing) and says it may not be reachable through POST /v3/videos, so creates may be refused; avatar_iv is HeyGen's default")]
    private static partial void LogAvatarIii(ILogger logger, string campaign);
}
