using BatchVideo.Ledger;
using BatchVideo.Pages;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Pages;

/// <summary>Page tokens and what their beacons count, on every engine.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class PageLedgerTests(string engine) : LedgerFixture(engine)
{
    private static readonly DateTimeOffset Noon = DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    protected override DateTimeOffset Start => Noon;

    [SetUp]
    public async Task SetUp()
    {
        foreach (var key in new[] { "C-1", "C-2", "C-3" })
        {
            await ledger.TryBeginSubmissionAsync("welcome", key, "k-" + key, "m-" + key, CancellationToken.None);
            await ledger.MarkSubmittedAsync("welcome", key, "vid-" + key, "waiting", CancellationToken.None);
        }

        await ledger.MarkCompletedAsync("welcome", "C-1", "https://files/1.mp4", "https://app/1", CancellationToken.None);
        await ledger.MarkCompletedAsync("welcome", "C-2", "https://files/2.mp4", "https://app/2", CancellationToken.None);
    }

    [Test]
    public async Task Completed_entries_get_one_random_token_each_that_never_changes()
    {
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        var first = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        var again = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);

        Assert.That(first.Keys, Is.EquivalentTo(new[] { "C-1", "C-2" }), "C-3 is still rendering: no page yet");
        Assert.That(again.Values.Select(e => e.PageToken), Is.EquivalentTo(first.Values.Select(e => e.PageToken)));
        Assert.That(first.Values.Select(e => e.PageToken), Is.Unique.And.All.Length.EqualTo(PageTokens.Length));
        // Not derived from the key or the video id: neither appears in its recipient's token (two random 32-character
        // tokens hold a given 3-character text by chance about once in 4,000 runs, so short fragments are not asserted).
        Assert.That(first.Values.Where(e => e.PageToken.Contains(e.RecipientKey, StringComparison.Ordinal) || e.PageToken.Contains("vid-" + e.RecipientKey, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task More_recipients_than_a_batch_all_get_tokens_and_those_that_had_one_keep_it()
    {
        // 1,010 finished videos: two full batches of 500 and a part one, read by key after the last batch's last key;
        // every 7th recipient already has a token (texts stored while rendering), between the batches' keys.
        var keys = Enumerable.Range(0, 1010).Select(i => $"B-{i:D4}").ToList();
        var early = keys.Where((_, i) => i % 7 == 0).ToDictionary(k => k, _ => new PageTexts("Hi", null, null));
        await ledger.SetPageTextsAsync("bulk", early, CancellationToken.None);
        var before = await ledger.ReadEngagementAsync("bulk", CancellationToken.None);
        foreach (var key in keys)
        {
            await ledger.TryBeginSubmissionAsync("bulk", key, "k-" + key, "m-" + key, CancellationToken.None);
            await ledger.MarkSubmittedAsync("bulk", key, "vid-" + key, "waiting", CancellationToken.None);
            await ledger.MarkCompletedAsync("bulk", key, "https://files/" + key, null, CancellationToken.None);
        }

        var withEarly = await ledger.ReadEngagementAsync("bulk", CancellationToken.None);
        await ledger.EnsurePageTokensAsync("bulk", CancellationToken.None);
        var all = await ledger.ReadEngagementAsync("bulk", CancellationToken.None);

        Assert.That(before, Is.Empty, "no page before the video is done");
        Assert.That(all.Keys, Is.EquivalentTo(keys));
        Assert.That(all.Values.Select(e => e.PageToken), Is.Unique);
        Assert.That(early.Keys.Select(k => all[k].PageToken), Is.EqualTo(early.Keys.Select(k => withEarly[k].PageToken)), "a token given with the texts is kept");
    }

    [Test]
    public async Task A_page_is_found_by_its_token_with_its_entry_and_texts()
    {
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        var token = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-2"].PageToken;
        await ledger.SetPageTextsAsync("welcome", new Dictionary<string, PageTexts> { ["C-2"] = new("Hi Ann", "Book", "https://cal.example/ann") }, CancellationToken.None);

        var page = await ledger.FindPageAsync(token, CancellationToken.None);

        Assert.That(page, Is.Not.Null);
        Assert.That((page!.Campaign, page.RecipientKey, page.Entry.VideoUrl, page.Token), Is.EqualTo(("welcome", "C-2", "https://files/2.mp4", token)));
        Assert.That(page.Texts, Is.EqualTo(new PageTexts("Hi Ann", "Book", "https://cal.example/ann")));
    }

    [Test]
    public async Task Texts_stored_before_the_video_is_done_give_a_token_that_waits_for_it()
    {
        await ledger.SetPageTextsAsync("welcome", new Dictionary<string, PageTexts> { ["C-3"] = new("Hi Cy", null, null) }, CancellationToken.None);
        var whileRendering = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        await ledger.MarkCompletedAsync("welcome", "C-3", "https://files/3.mp4", "https://app/3", CancellationToken.None);
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        await ledger.SetPageTextsAsync("welcome", new Dictionary<string, PageTexts> { ["C-3"] = new("Hello Cy", "Book", "https://cal.example/cy") }, CancellationToken.None);

        var done = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        var page = await ledger.FindPageAsync(done["C-3"].PageToken, CancellationToken.None);

        Assert.That(whileRendering.Keys, Has.No.Member("C-3"), "no page while the video renders");
        Assert.That(page!.Texts, Is.EqualTo(new PageTexts("Hello Cy", "Book", "https://cal.example/cy")), "the latest row's texts, on the token given first");
        Assert.That(done.Keys, Is.EquivalentTo(new[] { "C-1", "C-2", "C-3" }));
    }

    [Test]
    public async Task Unknown_malformed_and_revoked_tokens_find_nothing()
    {
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        var token = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-1"].PageToken;

        var revoked = await ledger.RevokePageAsync("welcome", "C-1", CancellationToken.None);

        Assert.That(revoked, Is.True);
        Assert.That(await ledger.FindPageAsync(token, CancellationToken.None), Is.Null);
        Assert.That(await ledger.FindPageAsync(PageTokens.New(), CancellationToken.None), Is.Null);
        Assert.That(await ledger.FindPageAsync("' OR 1=1 --", CancellationToken.None), Is.Null);
        Assert.That(await ledger.RecordPageEventAsync(token, PageEvents.Opened, null, Noon, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Beacons_count_views_the_furthest_mark_and_the_first_click()
    {
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        var token = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-1"].PageToken;

        var firstOpen = await ledger.RecordPageEventAsync(token, PageEvents.Opened, null, Noon, CancellationToken.None);
        var secondOpen = await ledger.RecordPageEventAsync(token, PageEvents.Opened, null, Noon.AddMinutes(5), CancellationToken.None);
        await ledger.RecordPageEventAsync(token, PageEvents.Play, null, Noon.AddMinutes(5), CancellationToken.None);
        await ledger.RecordPageEventAsync(token, PageEvents.Progress, 75, Noon.AddMinutes(6), CancellationToken.None);
        await ledger.RecordPageEventAsync(token, PageEvents.Progress, 25, Noon.AddMinutes(7), CancellationToken.None);
        await ledger.RecordPageEventAsync(token, PageEvents.Cta, null, Noon.AddMinutes(8), CancellationToken.None);
        await ledger.RecordPageEventAsync(token, PageEvents.Cta, null, Noon.AddMinutes(9), CancellationToken.None);

        var engagement = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        Assert.That((firstOpen, secondOpen), Is.EqualTo((true, false)));
        Assert.That(engagement["C-1"], Is.EqualTo(new Engagement("welcome", "C-1", token, 2, Noon, 75, Noon.AddMinutes(8))));
        Assert.That(engagement["C-2"], Is.EqualTo(new Engagement("welcome", "C-2", engagement["C-2"].PageToken, 0, null, 0, null)));
    }

    [Test]
    public async Task Only_one_of_many_simultaneous_first_opens_is_the_first_view()
    {
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        var token = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-1"].PageToken;

        var firsts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ledger.RecordPageEventAsync(token, PageEvents.Opened, null, Noon, CancellationToken.None))));

        Assert.That(firsts.Count(f => f), Is.EqualTo(1));
        Assert.That((await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-1"].Views, Is.EqualTo(8));
    }

    [Test]
    public async Task A_beacon_that_is_not_a_page_event_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordPageEventAsync(PageTokens.New(), PageEvents.Progress, 33, Noon, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordPageEventAsync(PageTokens.New(), "download", null, Noon, CancellationToken.None));
    }

    [Test]
    public async Task The_recipients_name_is_kept_with_the_texts_trimmed_bounded_and_following_the_row()
    {
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        var tokens = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        var longName = new string('x', 199) + "\U0001F600yz";
        await ledger.SetPageTextsAsync("welcome", new Dictionary<string, PageTexts>
        {
            ["C-1"] = new PageTexts("Hi", null, null) { Name = "  Amélie Durand \t" },
            ["C-2"] = new PageTexts(null, null, null) { Name = longName },
        }, CancellationToken.None);
        var first = await ledger.FindPageAsync(tokens["C-1"].PageToken, CancellationToken.None);
        var bounded = await ledger.FindPageAsync(tokens["C-2"].PageToken, CancellationToken.None);

        await ledger.SetPageTextsAsync("welcome", new Dictionary<string, PageTexts> { ["C-1"] = new PageTexts("Hi", null, null) { Name = " " } }, CancellationToken.None);
        var emptied = await ledger.FindPageAsync(tokens["C-1"].PageToken, CancellationToken.None);

        Assert.That(first!.Texts.Name, Is.EqualTo("Amélie Durand"));
        Assert.That(first.Texts.Heading, Is.EqualTo("Hi"));
        Assert.That(bounded!.Texts.Name, Is.EqualTo(new string('x', 199)), "at most 200 characters, never half an emoji");
        Assert.That(emptied!.Texts.Name, Is.Null, "an emptied cell empties the name");
    }

    [Test]
    public async Task Live_pages_are_read_in_key_order_a_batch_at_a_time_without_revoked_ones_or_other_campaigns()
    {
        foreach (var key in new[] { "C-4", "C-5", "C-6" })
        {
            await ledger.TryBeginSubmissionAsync("welcome", key, "k-" + key, "m-" + key, CancellationToken.None);
            await ledger.MarkSubmittedAsync("welcome", key, "vid-" + key, "waiting", CancellationToken.None);
            await ledger.MarkCompletedAsync("welcome", key, $"https://files/{key}.mp4", null, CancellationToken.None);
        }

        await ledger.TryBeginSubmissionAsync("other", "C-1", "k-o", "m-o", CancellationToken.None);
        await ledger.MarkSubmittedAsync("other", "C-1", "vid-o", "waiting", CancellationToken.None);
        await ledger.MarkCompletedAsync("other", "C-1", "https://files/o.mp4", null, CancellationToken.None);
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        await ledger.EnsurePageTokensAsync("other", CancellationToken.None);
        await ledger.RevokePageAsync("welcome", "C-5", CancellationToken.None);
        var c2 = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-2"].PageToken;
        await ledger.RecordPageEventAsync(c2, PageEvents.Opened, null, Noon, CancellationToken.None);

        var batches = new List<IReadOnlyList<Engagement>>();
        await foreach (var batch in ledger.ReadEngagementPagesAsync("welcome", EngagementSelection.Live, 2, CancellationToken.None))
        {
            batches.Add(batch);
        }

        Assert.That(batches.Select(b => b.Select(e => e.RecipientKey)), Is.EqualTo(new[] { new[] { "C-1", "C-2" }, new[] { "C-4", "C-6" } }),
            "C-3 is still rendering, C-5's page is revoked, the other campaign's C-1 is not this campaign's");
        Assert.That(batches[0][1] is { Views: 1, FirstViewedAt: not null, PageToken: var token } && token == c2, Is.True, "each page comes with its token and counts");
    }
}
