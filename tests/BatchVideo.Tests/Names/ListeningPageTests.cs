using BatchVideo.Tests.Support;
using PuppeteerSharp;

namespace BatchVideo.Tests.Names;

/// <summary>The listening page of a real <c>names</c> run against the sandbox, opened in a real headless Chromium.</summary>
[TestFixture]
[Category("Integration")]
[Category("Browser")]
public sealed class ListeningPageTests
{
    private const string HostileScript = "<script>window.pwned=1</script>";
    private const string HostileImage = "<img src=x onerror=\"window.pwned=2\">";

    [Test]
    public async Task Page_names_every_name_plays_each_copies_respellings_and_keeps_hostile_names_inert()
    {
        await using var harness = await PipelineHarness.StartAsync();
        NamesHarness.Configure(harness);
        string[] hostile = [HostileScript, HostileImage];
        var csv = harness.WriteCsv(62, firstName: i => i > 60
            ? "\"" + hostile[i - 61].Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : NamesHarness.TwelveNames[(i - 1) % NamesHarness.TwelveNames.Length]);
        var outcome = await NamesHarness.RunAsync(harness, csv);
        await using var browser = await Chromium.LaunchAsync();

        var (page, errors) = await Chromium.OpenAsync(browser, outcome.PagePath!);
        var ready = await page.EvaluateExpressionAsync<string>("document.body.dataset.ready");
        var names = await page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('#names tr')).map(r => r.dataset.value)");
        var players = await page.EvaluateExpressionAsync<int>("Array.from(document.querySelectorAll('#names tr')).filter(r => r.querySelector('audio[src]')).length");
        // Each player's file really is audio: Chromium decodes its header and learns its length.
        var durations = await page.EvaluateExpressionAsync<double[]>("""
            Promise.all(Array.from(document.querySelectorAll('#names audio')).map(a => new Promise(done => {
              a.addEventListener('loadedmetadata', () => done(a.duration));
              a.addEventListener('error', () => done(-1));
              a.preload = 'metadata'; a.load();
            })))
            """);
        await page.TypeAsync("#search", "zo");
        var searched = await page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('#names tr:not([hidden])')).map(r => r.dataset.value)");
        await page.EvaluateExpressionAsync("document.getElementById('search').value = ''; document.getElementById('search').dispatchEvent(new Event('input'))");
        await page.TypeAsync("tr[data-value='Siobhan'] input.respell", "Shiv-awn");
        await page.TypeAsync("tr[data-value='Olu'] input.respell", "Oh-loo, Jr");
        await page.ClickAsync("#copy");
        var copied = await page.EvaluateExpressionAsync<string>("document.getElementById('respellings').value");
        var pwned = await page.EvaluateExpressionAsync<string>("typeof window.pwned");
        var handlers = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('[onerror],[onload]').length");
        var scripts = await page.EvaluateExpressionAsync<int>("document.scripts.length");
        var html = await File.ReadAllTextAsync(outcome.PagePath!);

        Assert.That(errors, Is.Empty, "console errors");
        Assert.That(ready, Is.EqualTo("true"), "the page's script ran to its end");
        Assert.That(names, Is.EquivalentTo(NamesHarness.TwelveNames.Concat(hostile)), "every distinct name, once");
        Assert.That(players, Is.EqualTo(14), "a player for each");
        Assert.That(durations, Has.All.GreaterThan(0.5), "every player's file decodes as audio");
        Assert.That(names.Take(2), Is.EquivalentTo(hostile), "rare (one row), long, symbol-laden names come first");
        Assert.That(Array.IndexOf(names, "李小龍"), Is.LessThan(Array.IndexOf(names, "Ann")), "a non-ASCII name before a plain one");
        Assert.That(searched, Is.EqualTo(new[] { "Zoë" }));
        Assert.That(copied, Is.EqualTo("value,spoken\nSiobhan,Shiv-awn\nOlu,\"Oh-loo, Jr\"\n").Or.EqualTo("value,spoken\nOlu,\"Oh-loo, Jr\"\nSiobhan,Shiv-awn\n"),
            "the respellings in the file format of Pronunciations:File");
        Assert.That((pwned, handlers, scripts), Is.EqualTo(("undefined", 0, 1)), "no CRM value became markup or code");
        Assert.That(html, Does.Not.Contain("<link").And.Not.Contain("<script src").And.Not.Contain("@import"), "self-contained");
    }
}
