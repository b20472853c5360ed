using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BatchVideo.Campaigns;

namespace BatchVideo.Names;

/// <summary>
/// The listening page of <c>batchvideo names</c>: one self-contained HTML file (inline style and script, nothing
/// fetched but the audio itself) with each distinct name, its player, the rows that carry it and a field for its
/// respelling; a button copies the filled respellings as <c>value,spoken</c> lines, the format of
/// <c>Pronunciations:File</c>. Names most likely to be said wrong come first (<see cref="NameSuspicion"/>), and a
/// search box filters them. As on the review page, every value is HTML-encoded and a content security policy admits
/// only the page's own script (by nonce), so a CRM value can never become markup or code.
/// </summary>
public static class ListeningPage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(string path, NamesOutcome outcome, DateTimeOffset writtenAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var text = new StringBuilder();
        text.Append(Head(outcome, writtenAt, nonce));
        var ranked = outcome.Names.Names
            .Select(n => (Name: n, Suspicion: NameSuspicion.Of(n.Value, n.Rows)))
            .OrderByDescending(n => n.Suspicion.Score).ThenBy(n => n.Name.Rows).ThenBy(n => n.Name.Value, StringComparer.Ordinal);
        foreach (var (name, suspicion) in ranked)
        {
            ct.ThrowIfCancellationRequested();
            Row(text, name, suspicion, outcome);
        }

        text.Append(Tail(nonce));
        await File.WriteAllTextAsync(path, text.ToString(), new UTF8Encoding(false), ct);
    }

    private static string E(string? value) => value is null ? "" : Html.Encode(value);

    private static string Head(NamesOutcome o, DateTimeOffset writtenAt, string nonce)
    {
        var cost = o.Estimate is { } e ? $"{SpeechPreviewer.Amount(e.Cost, e.Unit)} estimated for {e.Previews} new preview(s), {SpeechPreviewer.Describe(e)}" : "nothing new to ask for";
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-{{nonce}}'; script-src 'nonce-{{nonce}}'; media-src http: https: file:">
            <title>{{E(o.Campaign)}}: hear the names</title>
            <style nonce="{{nonce}}">
            body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.4em; margin: 0 0 .2em; }
            .meta { color: #555; margin: 0 0 1em; }
            .stopped { background: #fff4e5; border: 1px solid #f0b35a; padding: .5em .8em; border-radius: 6px; }
            .controls { display: flex; flex-wrap: wrap; gap: 1em; align-items: center; margin: 1em 0; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border-bottom: 1px solid #eee; padding: .5em; text-align: left; vertical-align: top; }
            th { background: #fafafa; position: sticky; top: 0; }
            tr[hidden] { display: none; }
            .name { font-size: 1.1em; font-weight: 600; } .spoken, .keys, .why { color: #555; }
            .sentence { color: #333; font-style: italic; } .failed { color: #a00; }
            textarea { width: 100%; min-height: 6em; font-family: ui-monospace, monospace; }
            </style>
            </head>
            <body>
            <h1>{{E(o.Campaign)}}: hear the names</h1>
            <p class="meta">{{E(o.Source)}}<br>written {{writtenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant)}} UTC:
            {{o.Names.Names.Count.ToString("N0", Invariant)}} distinct name(s) in {{o.Names.RowsRead.ToString("N0", Invariant)}} row(s);
            {{o.Asked}} preview(s) asked for now, {{o.FromLedger}} from the ledger, {{o.Failed.Count}} refused; {{E(cost)}}.</p>
            {{(o.Stopped is null ? "" : $"<p class=\"stopped\">Stopped: {E(o.Stopped)}</p>")}}
            <p>Listen to each name. Where one is said wrong, type how it should sound (e.g. <i>Shiv-awn</i> for Siobhan), then
            copy the respellings into the file named by <code>Campaigns:{{E(o.Campaign)}}:Pronunciations:File</code> and run
            <code>batchvideo names</code> again: only the respelled names are asked for again.</p>
            <div class="controls">
            <label>Search <input id="search" type="search" placeholder="name, column or key"></label>
            <span id="shown"></span>
            <button id="copy" type="button">Copy respellings</button>
            </div>
            <textarea id="respellings" readonly placeholder="value,spoken lines appear here"></textarea>
            <table>
            <thead><tr><th>Name</th><th>Heard</th><th>Rows</th><th>Respelling</th><th>Why first</th></tr></thead>
            <tbody id="names">

            """;
    }

    private static void Row(StringBuilder text, NameEntry name, (int Score, IReadOnlyList<string> Reasons) suspicion, NamesOutcome outcome)
    {
        var search = $"{name.Value} {name.SpokenName} {name.Column} {string.Join(' ', name.Keys)}";
        text.Append(Invariant, $"<tr data-value=\"{E(name.Value)}\" data-search=\"{E(search)}\" data-score=\"{suspicion.Score}\">");
        text.Append("<td><div class=\"name\">").Append(E(name.Value)).Append("</div>");
        if (name.Respelled)
        {
            text.Append("<div class=\"spoken\">spoken as ").Append(E(name.SpokenName)).Append("</div>");
        }

        text.Append("<div class=\"keys\">").Append(E(name.Column)).Append("</div></td><td>");
        if (outcome.Heard.TryGetValue(name.PreviewKey, out var heard) && SafeUrl(heard.AudioUrl) is { } audio)
        {
            text.Append("<audio controls preload=\"none\" src=\"").Append(E(audio)).Append("\"></audio>");
        }
        else
        {
            var why = outcome.Failed.TryGetValue(name.PreviewKey, out var failed) ? "refused: " + failed : "not asked for (see above)";
            text.Append("<div class=\"failed\">no audio: ").Append(E(why)).Append("</div>");
        }

        text.Append("<div class=\"sentence\">").Append(E(name.Sentence)).Append("</div></td>");
        text.Append(Invariant, $"<td>{name.Rows:N0}<div class=\"keys\">").Append(E(string.Join(", ", name.Keys))).Append(name.Rows > name.Keys.Count ? ", …" : "").Append("</div></td>");
        text.Append("<td><input class=\"respell\" type=\"text\" aria-label=\"respelling of ").Append(E(name.Value)).Append("\" value=\"")
            .Append(name.Respelled ? E(name.SpokenName) : "").Append("\"></td>");
        text.Append("<td class=\"why\">").Append(E(string.Join(", ", suspicion.Reasons))).Append("</td></tr>\n");
    }

    /// <summary>Only web and file links reach the page: never a <c>javascript:</c> or <c>data:</c> one.</summary>
    private static string? SafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file" ? uri.AbsoluteUri : null;

    /// <summary>Search over the names already in the page, and the copy of respellings as <c>value,spoken</c> CSV lines.</summary>
    private static string Tail(string nonce) => $$"""
        </tbody>
        </table>
        <script nonce="{{nonce}}">
        (function () {
          var rows = Array.prototype.slice.call(document.getElementById('names').rows);
          var search = document.getElementById('search');
          var shown = document.getElementById('shown');
          var out = document.getElementById('respellings');
          function apply() {
            var words = search.value.trim().toLowerCase();
            var count = 0;
            rows.forEach(function (row) {
              var match = !words || row.dataset.search.toLowerCase().indexOf(words) >= 0;
              row.hidden = !match;
              if (match) { count++; }
            });
            shown.textContent = count + ' of ' + rows.length + ' names shown';
            document.body.dataset.shown = String(count);
          }
          function cell(value) {
            return /[",\r\n]/.test(value) || value !== value.trim() ? '"' + value.replace(/"/g, '""') + '"' : value;
          }
          function copy() {
            var lines = ['value,spoken'];
            rows.forEach(function (row) {
              var spoken = row.querySelector('input.respell').value.trim();
              if (spoken && spoken !== row.dataset.value) { lines.push(cell(row.dataset.value) + ',' + cell(spoken)); }
            });
            out.value = lines.join('\n') + '\n';
            out.select();
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(out.value).catch(function () { /* the text stays selected to copy by hand */ });
            }
          }
          search.addEventListener('input', apply);
          document.getElementById('copy').addEventListener('click', copy);
          apply();
          document.body.dataset.ready = 'true';
        })();
        </script>
        </body>
        </html>

        """;
}
