using BatchVideo.Ledger;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Relational;

/// <summary>Every link and fact kept on every engine: a later answer lacking one never erases the stored value.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class LedgerLinksTests(string engine) : LedgerFixture(engine)
{
    [SetUp]
    public async Task SetUp()
    {
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k1", "m1", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", "vid-1", "waiting", CancellationToken.None);
    }

    [Test]
    public async Task A_completion_without_links_keeps_every_stored_one()
    {
        var polled = new VideoLinks("https://files/v.mp4?expires=1", "https://app.heygen.com/video/vid-1", "https://files/v.jpg", 1000)
        {
            SharePageUrl = "https://share/vid-1",
            GifUrl = "https://files/v.gif",
            CaptionedVideoUrl = "https://files/v-c.mp4",
            SubtitleUrl = "https://files/v.srt",
            Duration = 21.5,
        };
        await ledger.MarkCompletedAsync("welcome", "C-1", polled, CancellationToken.None);

        await ledger.MarkCompletedByVideoAsync("vid-1", new VideoLinks(null, null, null, null), CancellationToken.None);
        await ledger.RenewLinksAsync("welcome", "C-1", new VideoLinks("https://files/v.mp4?expires=2", null, null, 2000), CancellationToken.None);

        var entry = (await ledger.GetAsync("welcome", "C-1", CancellationToken.None))!;
        Assert.That(
            (entry.VideoUrl, entry.LinkExpiresAt, entry.VideoPageUrl, entry.ThumbnailUrl, entry.SharePageUrl, entry.GifUrl, entry.CaptionedVideoUrl, entry.SubtitleUrl, entry.DurationSeconds),
            Is.EqualTo(("https://files/v.mp4?expires=2", (long?)2000, "https://app.heygen.com/video/vid-1", "https://files/v.jpg", "https://share/vid-1", "https://files/v.gif", "https://files/v-c.mp4", "https://files/v.srt", (double?)21.5)));
    }
}
