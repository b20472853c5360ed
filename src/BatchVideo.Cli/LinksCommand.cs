using System.CommandLine;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Links;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo links check</c>: opens a few stored page links anonymously and says whether they play or ask for a login.</summary>
internal static class LinksCommand
{
    private const int PageSize = 100;

    public static Command Create()
    {
        var campaign = new Option<string?>("--campaign") { Description = "Campaign name from the configuration (default: DefaultCampaign)." };
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var sandbox = SandboxSession.Option("Check the links stored by sandbox runs (the sandbox ledger), with the sandbox account serving them.");
        var limit = new Option<int>("--limit") { Description = "How many completed videos to check (default 3).", DefaultValueFactory = _ => 3 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--limit must be above 0.");
            }
        });
        var check = new Command("check", "Open stored page links (video_page_url, share page) of completed videos without a HeyGen login; say whether they play or ask for a login.")
        {
            campaign, config, sandbox, limit,
        };
        check.SetAction((parse, ct) => CommandOptions.GuardAsync(() => CheckAsync(
            parse.GetValue(campaign), parse.GetValue(config), parse.GetValue(sandbox), parse.GetValue(limit), ct)));
        return new Command("links", "Check the links written back to the CRM.") { check };
    }

    private static async Task<int> CheckAsync(string? campaign, string? configPath, bool sandbox, int limit, CancellationToken ct)
    {
        // The pages a sandbox run wrote are served by its account: here, unless another process serves it.
        await using var account = await SandboxSession.OpenIfAsync(sandbox, configPath, ct);
        var (configuration, baseDirectory) = CliConfiguration.Load(configPath, account?.Overrides() ?? []);
        // No HeyGen request is made, so no API key is needed (and none is sent with the pages).
        using var host = AppHost.Build(configuration, baseDirectory, LogLevel.Warning, onlyErrors: true, requireApiKey: false);
        var (name, options) = host.Services.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Resolve(campaign);
        var ledger = host.Services.GetRequiredService<LedgerStore>();
        await ledger.MigrateAsync(ct);
        var links = await StoredPageLinksAsync(ledger, name, limit, ct);
        if (links.Count == 0)
        {
            Console.WriteLine($"Campaign {name}: no completed video with a stored page link in {ledger.Location}; run the campaign first.");
            return ExitCodes.RowsNeedAttention;
        }

        var checker = host.Services.GetRequiredService<PageLinkCheck>();
        var results = new List<PageCheckResult>();
        foreach (var (key, url) in links)
        {
            var result = await checker.CheckAsync(url, ct);
            results.Add(result);
            Console.WriteLine($"{Label(result.Verdict),-18} key {key}  {url}  ({result.Reason}{(result.FinalUrl is { } final && final != url ? $"; ended at {final}" : "")})");
        }

        Console.WriteLine(Advice(results, BatchVideo.WriteBack.WriteBackLink.Word(options.UrlField)));
        return results.All(r => r.Verdict == PageVerdict.Plays) ? ExitCodes.Success : ExitCodes.RowsNeedAttention;
    }

    /// <summary>The page links (and share pages) of the first completed videos with one, in key order.</summary>
    private static async Task<List<(string Key, string Url)>> StoredPageLinksAsync(LedgerStore ledger, string campaign, int limit, CancellationToken ct)
    {
        var links = new List<(string, string)>();
        var videos = 0;
        var after = "";
        while (videos < limit)
        {
            var page = await ledger.PageAsync(campaign, LedgerState.Completed, after, PageSize, ct);
            foreach (var entry in page)
            {
                var urls = new[] { entry.VideoPageUrl, entry.SharePageUrl }.OfType<string>().Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
                if (urls.Count > 0 && videos < limit)
                {
                    videos++;
                    links.AddRange(urls.Select(u => (entry.RecipientKey, u)));
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].RecipientKey;
        }

        return links;
    }

    private static string Label(PageVerdict verdict) => verdict switch
    {
        PageVerdict.Plays => "plays",
        PageVerdict.AsksForLogin => "asks for a login",
        _ => "unclear",
    };

    private static string Advice(IReadOnlyList<PageCheckResult> results, string current)
    {
        var now = $"(this campaign writes UrlField: {current})";
        if (results.All(r => r.Verdict == PageVerdict.Plays))
        {
            return $"Advice: page links play without a login; 'UrlField: page' suits recipients and never expires {now}.";
        }

        var what = results.Any(r => r.Verdict == PageVerdict.AsksForLogin) ? "ask recipients to log in" : "could not be confirmed to play";
        return $"Advice: page links {what}; write 'UrlField: signed' and run 'batchvideo refresh' before the links expire, or 'UrlField: download' to your own storage {now}. See docs/operating.md, \"Running against HeyGen\".";
    }
}
