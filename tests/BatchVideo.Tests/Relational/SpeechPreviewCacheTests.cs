using BatchVideo.Ledger;
using BatchVideo.Names;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Relational;

/// <summary>The speech-preview cache of migration 11 on every engine: kept once by its key, found again by any campaign.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class SpeechPreviewCacheTests(string engine) : LedgerFixture(engine)
{
    [Test]
    public async Task A_preview_is_kept_once_and_found_by_its_text_voice_and_settings()
    {
        var key = SpeechPreviewKey.Of("Hi Siobhan!", "voice-1", "speed=1.1");
        var preview = new SpeechPreviewRecord
        {
            PreviewKey = key, VoiceId = "voice-1", Settings = "speed=1.1", SpokenText = "Hi Siobhan!",
            AudioUrl = "https://files.heygen.ai/audio/a.mp3", DurationSeconds = 1.2, RequestId = "req_1",
        };

        var first = await ledger.RecordSpeechPreviewAsync(preview, CancellationToken.None);
        var second = await ledger.RecordSpeechPreviewAsync(new SpeechPreviewRecord { PreviewKey = key, VoiceId = "voice-1", SpokenText = "Hi Siobhan!", AudioUrl = "https://other" }, CancellationToken.None);
        var found = await ledger.GetSpeechPreviewsAsync([key, SpeechPreviewKey.Of("Hi Siobhan!", "voice-1", ""), "absent"], CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((true, false)), "the first kept, the second left alone");
        Assert.That(found.Keys, Is.EqualTo(new[] { key }), "other settings are another preview");
        Assert.That(found[key].AudioUrl, Is.EqualTo("https://files.heygen.ai/audio/a.mp3"));
        Assert.That(found[key].DurationSeconds, Is.EqualTo(1.2).Within(1e-9));
        Assert.That(found[key].RequestId, Is.EqualTo("req_1"));
    }
}
