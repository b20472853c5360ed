using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Reports;
using BatchVideo.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Quartz;

namespace BatchVideo.Cli;

/// <summary>
/// <c>serve</c>'s read-only pages: <c>GET /</c>, each campaign's last and next run and its rows by
/// state; <c>GET /campaigns/{name}/review</c>, the campaign's latest review page from the reports folder.
/// </summary>
internal static class ServePages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void MapServePages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", async (LedgerStore ledger, IOptions<BatchVideoOptions> options, IOptions<ReportOptions> reports, IOptions<Pages.PagesOptions> pages, ISchedulerFactory schedulers, CancellationToken ct) =>
        {
            var scheduler = await schedulers.GetScheduler(ct);
            var page = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>BatchVideo status</title>
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
                <style>body{font:14px/1.4 system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}th,td{border-bottom:1px solid #eee;padding:.4em .8em;text-align:left;vertical-align:top}</style>
                </head><body><h1>BatchVideo status</h1>
                <table><thead><tr><th>campaign</th><th>last run</th><th>next run</th><th>rows by state</th><th>recipient pages</th><th>review</th></tr></thead><tbody>

                """);
            foreach (var name in options.Value.Campaigns.Keys.Order(StringComparer.Ordinal))
            {
                var last = await ledger.LastRunAsync(name, ct);
                var counts = await ledger.CountByStateAsync(name, ct);
                var triggers = await scheduler.GetTriggersOfJob(CampaignJob.KeyFor(name), ct);
                var next = triggers.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min();
                var review = LatestReviewPage(reports.Value.Folder, name);
                page.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(E(Describe(last))).Append("</td><td>")
                    .Append(next is { } at ? E(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Invariant)) : "not scheduled").Append("</td><td>")
                    .Append(counts.Count == 0 ? "none" : E(string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))))
                    .Append("</td><td>").Append(E(await PageTotalsAsync(ledger, name, options.Value.Campaigns[name], pages.Value, ct)))
                    .Append("</td><td>")
                    .Append(review is null ? "none yet" : $"<a href=\"/campaigns/{E(Uri.EscapeDataString(name))}/review\">{E(Path.GetFileName(review))}</a>")
                    .Append("</td></tr>\n");
            }

            page.Append("</tbody></table></body></html>\n");
            return Results.Content(page.ToString(), "text/html; charset=utf-8");
        });
        routes.MapGet("/campaigns/{name}/review", (string name, IOptions<BatchVideoOptions> options, IOptions<ReportOptions> reports) =>
        {
            // Only a configured campaign's name reaches the file system, so no path can be smuggled in; two
            // campaigns whose file names are the same ("a b" and "a_b") cannot tell their pages apart, so neither is served.
            var campaigns = options.Value.Campaigns.Keys;
            if (campaigns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase)) is not { } campaign
                || campaigns.Any(other => other != campaign && ReportWriter.SafeName(other) == ReportWriter.SafeName(campaign))
                || LatestReviewPage(reports.Value.Folder, campaign) is not { } path)
            {
                return Results.NotFound($"no review page for campaign {name}");
            }

            return Results.File(path, "text/html; charset=utf-8");
        });
    }

    /// <summary>
    /// The newest <c>&lt;campaign&gt;-&lt;stamp&gt;-run[-n].html</c> in the reports folder, or null. The whole name
    /// is matched, so campaign <c>welcome</c> never gets <c>welcome-agent</c>'s page (its files start with
    /// <c>welcome-</c> too), nor a dry run's.
    /// </summary>
    internal static string? LatestReviewPage(string folder, string campaign)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var name = new Regex(
            "^" + Regex.Escape(ReportWriter.SafeName(campaign)) + @"-[0-9]{8}T[0-9]{6}Z-run(-[0-9]+)?\.html$",
            RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
        return Directory.EnumerateFiles(folder, "*.html")
            .Where(f => name.IsMatch(Path.GetFileName(f)))
            .Select(f => new FileInfo(f))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .FirstOrDefault()?.FullName;
    }

    /// <summary>"20 sent, 3 opened, 1 watched half, 0 clicked", or "off"; read only (tokens are given by write-backs).</summary>
    private static async Task<string> PageTotalsAsync(LedgerStore ledger, string name, CampaignOptions campaign, Pages.PagesOptions pages, CancellationToken ct) =>
        await Pages.CampaignPages.ReadAsync(ledger, name, campaign.Pages.Enabled, pages.PublicBaseUrl, ct, giveTokens: false) is { } read
            ? (await read.TotalsAsync(ct)).ToString()
            : "off";

    private static string Describe(RunRecord? last) => last is null
        ? "never"
        : string.Create(Invariant, $"{DateTimeOffset.FromUnixTimeMilliseconds(last.StartedAt).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, ")
          + (last.FinishedAt is null ? "running" : $"read {last.ReadRows}, submitted {last.Submitted}, completed {last.Completed}, failed {last.Failed}")
          + (last.StoppedBecause is null ? "" : $"; stopped: {last.StoppedBecause}");

    private static string E(string value) => Html.Encode(value);
}
