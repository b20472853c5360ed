using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo pages list | revoke</c>: the recipient pages of a campaign (issue 25) with what each recipient did,
/// and taking one page down for good. Reads and writes the ledger only; nothing is sent to HeyGen.
/// </summary>
internal static class PagesCommand
{
    /// <summary>Pages read from the ledger at a time: a campaign of millions is listed in constant memory.</summary>
    internal const int Batch = 1000;

    public static Command Create()
    {
        var campaign = CommandOptions.Campaign();
        var config = CommandOptions.Config();
        var sandbox = SandboxSession.Option("Read the sandbox's ledger (pages of runs made with --sandbox).");
        var json = CommandOptions.Json("one JSON object per page and line (JSON Lines)");
        var list = new Command("list", "One line per recipient with a live page: key, page address, views, first view, furthest point watched, first call-to-action click.")
        {
            campaign, config, sandbox, json,
        };
        list.SetAction((parse, ct) => CommandOptions.GuardAsync(() =>
            ListAsync(parse.GetValue(campaign), parse.GetValue(config), parse.GetValue(sandbox), parse.GetValue(json), Console.Out, ct)));

        var key = new Option<string>("--key") { Description = "The recipient key whose page to take down (as 'pages list' shows it).", Required = true };
        var revoke = new Command("revoke", "Take a recipient's page down for good: its address answers 404 from now on; what it counted stays.")
        {
            campaign, key, config, sandbox,
        };
        revoke.SetAction((parse, ct) => CommandOptions.GuardAsync(() =>
            RevokeAsync(parse.GetValue(campaign), parse.GetValue(key)!, parse.GetValue(config), parse.GetValue(sandbox), Console.Out, Console.Error, ct)));
        return new Command("pages", "List a campaign's recipient pages and what each recipient did; revoke one.") { list, revoke };
    }

    /// <summary>Prints the campaign's live pages in key order, <see cref="Batch"/> at a time. Exit 0; 2 for an unknown campaign.</summary>
    /// <exception cref="ConfigurationException">The campaign is not configured, or the configuration is broken.</exception>
    internal static async Task<int> ListAsync(string? campaign, string? configPath, bool sandbox, bool json, TextWriter output, CancellationToken ct)
    {
        var (configuration, baseDirectory) = CliConfiguration.Load(configPath, SandboxSession.LedgerOnly(sandbox));
        using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, requireApiKey: false);
        var (name, options) = host.Services.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Resolve(campaign);
        var publicBase = host.Services.GetRequiredService<IOptions<PagesOptions>>().Value.PublicBaseUrl;
        var ledger = host.Services.GetRequiredService<LedgerStore>();
        await ledger.MigrateAsync(ct);
        if (!options.Pages.Enabled || publicBase is null)
        {
            // serve answers 404 for every page of a campaign whose pages are off, so there is nothing live to list.
            await output.WriteLineAsync($"Campaign {name} has no recipient pages (Campaigns:{name}:Pages:Enabled is off).");
            return ExitCodes.Success;
        }

        // As a run's write-back and serve do: a video finished since then gets its page (its token is kept for good).
        await ledger.EnsurePageTokensAsync(name, ct);
        if (!json)
        {
            await output.WriteLineAsync("key\tpage\tviews\tfirst viewed\twatched %\tCTA clicked");
        }

        var (pages, opened) = (0, 0);
        await foreach (var batch in ledger.ReadEngagementPagesAsync(name, EngagementSelection.Live, Batch, ct))
        {
            foreach (var page in batch)
            {
                var url = PageLinks.Url(publicBase, page.PageToken).AbsoluteUri;
                await output.WriteLineAsync(json ? Json(page, url) : Line(page, url));
                pages++;
                opened += page.Views > 0 ? 1 : 0;
            }
        }

        if (!json)
        {
            await output.WriteLineAsync(FormattableString.Invariant($"Campaign {name}: {pages} live page(s), {opened} opened."));
        }

        return ExitCodes.Success;
    }

    /// <summary>Revokes one recipient's page. Exit 0 when revoked; 1 when the key has no live page; 2 for an unknown campaign.</summary>
    /// <exception cref="ConfigurationException">The campaign is not configured, or the configuration is broken.</exception>
    internal static async Task<int> RevokeAsync(string? campaign, string key, string? configPath, bool sandbox, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var (configuration, baseDirectory) = CliConfiguration.Load(configPath, SandboxSession.LedgerOnly(sandbox));
        using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, requireApiKey: false);
        var (name, options) = host.Services.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Resolve(campaign);
        var ledger = host.Services.GetRequiredService<LedgerStore>();
        await ledger.MigrateAsync(ct);
        if (!options.Pages.Enabled)
        {
            await error.WriteLineAsync($"error: campaign {name} has no recipient pages (Campaigns:{name}:Pages:Enabled is off), so there is no page to revoke; nothing changed.");
            return ExitCodes.Usage;
        }

        // The key as the ledger holds it (an e-mail key in lower case), the same as a run recorded it.
        var recipient = RecipientKeys.Normalize(key, options.KeyComparison);
        if (await ledger.RevokePageAsync(name, recipient, ct))
        {
            await output.WriteLineAsync(ConsoleText.Inert(
                $"Revoked the page of '{recipient}' in campaign {name}: its address answers 404 from now on; what it counted stays in the ledger."));
            return ExitCodes.Success;
        }

        await error.WriteLineAsync(ConsoleText.Inert(
            $"error: '{recipient}' of campaign {name} has no page to revoke (no such key, no finished video yet, or its page was revoked already); nothing changed. This lists the live pages: {NextCommand.For("pages list", "--campaign", name)}"));
        return ExitCodes.RowsNeedAttention;
    }

    private static string Line(Engagement page, string url) => string.Join('\t',
        ConsoleText.Inert(page.RecipientKey), url, page.Views.ToString(CultureInfo.InvariantCulture), Time(page.FirstViewedAt) ?? "-",
        page.WatchedPercent.ToString(CultureInfo.InvariantCulture), Time(page.CtaClickedAt) ?? "-");

    private static string Json(Engagement page, string url) => JsonSerializer.Serialize(new
    {
        key = page.RecipientKey,
        page = url,
        views = page.Views,
        first_viewed_at = Time(page.FirstViewedAt),
        watched_percent = page.WatchedPercent,
        cta_clicked_at = Time(page.CtaClickedAt),
    });

    /// <summary>ISO 8601 UTC to the second, as the page columns are written back (<c>2026-12-06T04:10:07Z</c>).</summary>
    private static string? Time(DateTimeOffset? at) => RecipientPage.Iso(at);
}
