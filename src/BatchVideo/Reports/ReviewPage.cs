using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace BatchVideo.Reports;

/// <summary>What the review page says above its rows.</summary>
public sealed record ReviewHeader(
    string Campaign,
    string Command,
    string Source,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    TimeSpan Elapsed,
    int ExitCode,
    IReadOnlyDictionary<string, long> Counts)
{
    public string? StoppedBecause { get; init; }

    public ReportEstimate? Estimate { get; init; }

    /// <summary>Rows read but not listed (the page lists at most <see cref="ReportOptions.ReviewRows"/>).</summary>
    public long RowsLeftOff { get; init; }

    public string? ReportPath { get; init; }

    public string? RejectsPath { get; init; }

    /// <summary>The campaign's page totals (sent, opened, watched half, clicked), when it has pages.</summary>
    public Pages.EngagementTotals? PageTotals { get; init; }
}

/// <summary>
/// Writes the review page of a run: one self-contained HTML file (inline style and script, nothing
/// fetched but the videos and thumbnails themselves) with the summary and a row per recipient that can
/// be filtered by status, searched by key or name, and sorted. Every value is HTML-encoded, and a
/// content security policy admits only the page's own script (by nonce), so a CRM value can never
/// become markup or code.
/// </summary>
public static class ReviewPage
{
    // Every character as itself (accents, CJK) except what HTML gives a meaning: < > & ' " and the like.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(string path, ReviewHeader header, IReadOnlyList<ReviewRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        await using var html = new StreamWriter(file, new UTF8Encoding(false));
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await html.WriteAsync(Head(header, nonce));
        await html.WriteAsync(Summary(header, rows));
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            text.Clear();
            Row(text, row);
            await html.WriteAsync(text, ct);
        }

        await html.WriteAsync(Tail(nonce));
    }

    private static string E(string? value) => value is null ? "" : Html.Encode(value);

    /// <summary>"alreadyDone" → "already done": the report's count names, as words.</summary>
    private static string Words(string camel) =>
        string.Concat(camel.Select(c => char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    private static string Head(ReviewHeader h, string nonce) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-{{nonce}}'; script-src 'nonce-{{nonce}}'; img-src http: https: file: data:; media-src http: https: file:">
        <title>{{E(h.Campaign)}}: {{E(h.Command)}} of {{h.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant)}} UTC</title>
        <style nonce="{{nonce}}">
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
        h1 { font-size: 1.4em; margin: 0 0 .2em; }
        .meta { color: #555; margin: 0 0 1em; }
        .cards { display: flex; flex-wrap: wrap; gap: .6em; margin: 0 0 1em; padding: 0; list-style: none; }
        .cards li { border: 1px solid #ddd; border-radius: 6px; padding: .4em .8em; min-width: 6em; }
        .cards b { display: block; font-size: 1.3em; }
        .stopped { background: #fff4e5; border: 1px solid #f0b35a; padding: .5em .8em; border-radius: 6px; }
        .controls { display: flex; flex-wrap: wrap; gap: 1em; align-items: center; margin: 1em 0; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border-bottom: 1px solid #eee; padding: .5em; text-align: left; vertical-align: top; }
        th { background: #fafafa; position: sticky; top: 0; }
        tr[hidden] { display: none; }
        .status { display: inline-block; padding: .1em .5em; border-radius: 4px; background: #eee; white-space: nowrap; }
        .s-completed { background: #e3f6e5; } .s-failed, .s-rejected { background: #fde8e8; }
        .s-rendering, .s-to-resume, .s-not-sent { background: #fff4e5; } .s-would-send { background: #e8f0fe; }
        .media img, .media video { width: 240px; max-height: 135px; object-fit: cover; background: #000; }
        .script { white-space: pre-wrap; margin: .3em 0 0; color: #333; }
        .reason { color: #a00; } .advice { color: #555; }
        .key { font-family: ui-monospace, monospace; }
        .views { color: #555; }
        </style>
        </head>
        <body>
        <h1>{{E(h.Campaign)}}: {{E(h.Command)}}</h1>
        <p class="meta">{{E(h.Source)}}<br>started {{h.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant)}} UTC, finished {{h.FinishedAt.UtcDateTime.ToString("HH:mm:ss", Invariant)}} UTC, exit code {{h.ExitCode}}</p>

        """;

    private static string Summary(ReviewHeader h, IReadOnlyList<ReviewRow> rows)
    {
        var text = new StringBuilder("<ul class=\"cards\" id=\"summary\">\n");
        foreach (var (name, count) in h.Counts)
        {
            text.Append(Invariant, $"<li>{E(Words(name))}<b>{count:N0}</b></li>\n");
        }

        text.Append(Invariant, $"<li>elapsed<b>{h.Elapsed.TotalSeconds:0.0} s</b></li>\n");
        if (h.Estimate is { } estimate)
        {
            text.Append(Invariant, $"<li>est. minutes<b>{estimate.Minutes:0.0}</b></li>\n");
            text.Append(Invariant, $"<li title=\"{E(Campaigns.Spend.Caveat)}\">{Campaigns.Spend.Label}<b>{E(estimate.Cost)}</b></li>\n");
        }

        if (h.PageTotals is { } pages)
        {
            // The campaign's, not the run's: every recipient with a page, whichever run made it.
            text.Append(Invariant, $"<li title=\"recipients with a page\">pages sent<b>{pages.Sent:N0}</b></li>\n");
            text.Append(Invariant, $"<li title=\"opened at least once in a browser that ran the page\">opened<b>{pages.Opened:N0}</b></li>\n");
            text.Append(Invariant, $"<li title=\"reached 50% of the video\">watched half<b>{pages.WatchedHalf:N0}</b></li>\n");
            text.Append(Invariant, $"<li title=\"clicked the call to action\">clicked<b>{pages.Clicked:N0}</b></li>\n");
        }

        text.Append("</ul>\n");
        if (h.StoppedBecause is not null)
        {
            text.Append("<p class=\"stopped\">Stopped: ").Append(E(h.StoppedBecause)).Append("</p>\n");
        }

        if (h.RowsLeftOff > 0)
        {
            text.Append(Invariant, $"<p class=\"stopped\">The first {rows.Count:N0} rows are listed; {h.RowsLeftOff:N0} more are not (every problem row is in the rejects CSV).</p>\n");
        }

        var files = new[] { ("JSON report", h.ReportPath), ("rows to fix", h.RejectsPath) }.Where(f => f.Item2 is not null).ToList();
        if (files.Count > 0)
        {
            text.Append("<p class=\"meta\">").AppendJoin("; ", files.Select(f => $"{f.Item1}: {E(f.Item2)}")).Append("</p>\n");
        }

        text.Append("<div class=\"controls\">\n<label>Status <select id=\"status\"><option value=\"\">all</option>");
        foreach (var status in ReviewStatus.All)
        {
            var count = rows.Count(r => r.Status == status);
            if (count > 0)
            {
                text.Append(Invariant, $"<option value=\"{E(status)}\">{E(status)} ({count:N0})</option>");
            }
        }

        text.Append("""
            </select></label>
            <label>Search <input id="search" type="search" placeholder="key or name"></label>
            <label>Sort <select id="sort"><option value="line">line</option><option value="key">key</option><option value="name">name</option><option value="status">status</option></select></label>
            <span id="shown"></span>
            </div>
            <table>
            <thead><tr><th>line</th><th>key / name</th><th>status</th><th>video</th><th>title and script</th><th>problem</th></tr></thead>
            <tbody id="rows">

            """);
        return text.ToString();
    }

    private static void Row(StringBuilder text, ReviewRow row)
    {
        var statusClass = "s-" + row.Status.Replace(' ', '-');
        text.Append(Invariant, $"<tr data-line=\"{row.Line}\" data-key=\"{E(row.Key)}\" data-name=\"{E(row.Name)}\" data-status=\"{E(row.Status)}\">");
        text.Append(Invariant, $"<td>{row.Line}</td>");
        text.Append("<td><span class=\"key\">").Append(E(row.Key)).Append("</span><br>").Append(E(row.Name)).Append("</td>");
        text.Append("<td><span class=\"status ").Append(statusClass).Append("\">").Append(E(row.Status)).Append("</span></td>");
        text.Append("<td class=\"media\">");
        var thumbnail = SafeUrl(row.ThumbnailUrl);
        if (SafeUrl(row.Mp4Url) is { } mp4)
        {
            text.Append("<video controls preload=\"none\" src=\"").Append(E(mp4)).Append('"');
            if (thumbnail is not null)
            {
                text.Append(" poster=\"").Append(E(thumbnail)).Append('"');
            }

            text.Append("></video><br>");
        }
        else if (thumbnail is not null)
        {
            text.Append("<img loading=\"lazy\" alt=\"thumbnail\" src=\"").Append(E(thumbnail)).Append("\"><br>");
        }

        if (SafeUrl(row.PageUrl) is { } page)
        {
            text.Append("<a href=\"").Append(E(page)).Append("\">").Append(row.VideoId is null ? "video" : E(row.VideoId)).Append("</a>");
        }
        else if (row.VideoId is not null)
        {
            text.Append(E(row.VideoId));
        }

        if (row.Engagement is { } seen)
        {
            text.Append(Invariant, $"<div class=\"views\" data-views=\"{seen.Views}\" data-watched=\"{seen.WatchedPercent}\">{seen.Views:N0} view{(seen.Views == 1 ? "" : "s")}, watched {seen.WatchedPercent}%")
                .Append(seen.CtaClickedAt is null ? "" : ", clicked").Append("</div>");
        }

        text.Append("</td><td>");
        if (row.Title is not null)
        {
            text.Append("<b>").Append(E(row.Title)).Append("</b>");
        }

        if (row.Script is not null)
        {
            text.Append("<div class=\"script\">").Append(E(row.Script)).Append("</div>");
        }

        text.Append("</td><td>");
        if (row.Reason is not null)
        {
            text.Append("<div class=\"reason\">").Append(E(row.Reason)).Append("</div>");
        }

        if (row.Advice is not null)
        {
            text.Append("<div class=\"advice\">").Append(E(row.Advice)).Append("</div>");
        }

        text.Append("</td></tr>\n");
    }

    /// <summary>Only web and file links reach the page: never a <c>javascript:</c> or <c>data:</c> one.</summary>
    private static string? SafeUrl(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file" ? uri.AbsoluteUri : null;

    /// <summary>
    /// Filter, search and sort over the rows already in the page (it works without script too: every
    /// row is shown). The state is kept in the address's fragment (#status=failed&amp;q=ann&amp;sort=name),
    /// so a filtered view can be bookmarked or opened by a test.
    /// </summary>
    private static string Tail(string nonce) => $$"""
        </tbody>
        </table>
        <script nonce="{{nonce}}">
        (function () {
          var body = document.getElementById('rows');
          var status = document.getElementById('status');
          var search = document.getElementById('search');
          var sort = document.getElementById('sort');
          var shown = document.getElementById('shown');
          var rows = Array.prototype.slice.call(body.rows);
          var order = ['completed', 'rendering', 'failed', 'rejected', 'to resume', 'not sent', 'would send', 'already done'];
          function read() {
            var state = new URLSearchParams(location.hash.slice(1));
            status.value = state.get('status') || '';
            search.value = state.get('q') || '';
            sort.value = state.get('sort') || 'line';
            if (status.selectedIndex < 0) { status.value = ''; }
          }
          function compare(a, b) {
            var by = sort.value;
            if (by === 'line') { return Number(a.dataset.line) - Number(b.dataset.line); }
            if (by === 'status') { return order.indexOf(a.dataset.status) - order.indexOf(b.dataset.status) || Number(a.dataset.line) - Number(b.dataset.line); }
            return (a.dataset[by] || '').localeCompare(b.dataset[by] || '') || Number(a.dataset.line) - Number(b.dataset.line);
          }
          function apply() {
            var wanted = status.value;
            var words = search.value.trim().toLowerCase();
            var count = 0;
            rows.sort(compare);
            rows.forEach(function (row) {
              var match = (!wanted || row.dataset.status === wanted)
                && (!words || (row.dataset.key + ' ' + row.dataset.name).toLowerCase().indexOf(words) >= 0);
              row.hidden = !match;
              if (match) { count++; }
              body.appendChild(row);
            });
            shown.textContent = count + ' of ' + rows.length + ' rows shown';
            document.body.dataset.shown = String(count);
          }
          function save() {
            var state = new URLSearchParams();
            if (status.value) { state.set('status', status.value); }
            if (search.value) { state.set('q', search.value); }
            if (sort.value !== 'line') { state.set('sort', sort.value); }
            history.replaceState(null, '', '#' + state.toString());
            apply();
          }
          status.addEventListener('change', save);
          search.addEventListener('input', save);
          sort.addEventListener('change', save);
          window.addEventListener('hashchange', function () { read(); apply(); });
          read();
          apply();
          document.body.dataset.ready = 'true';
        })();
        </script>
        </body>
        </html>

        """;
}
