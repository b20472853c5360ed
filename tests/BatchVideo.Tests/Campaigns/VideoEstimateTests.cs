using BatchVideo.Campaigns;

namespace BatchVideo.Tests.Campaigns;

[TestFixture]
public sealed class VideoEstimateTests
{
    [TestCase("", 0)]
    [TestCase("Hi Ann!", 2)]
    [TestCase("  Hi\n\tAnn,  how are   you?\r\n", 5)]
    [TestCase("美咲さん、こんにちは", 0)]
    [TestCase("Hi 美咲さん!", 2)]
    public void Words_are_runs_of_spaced_text(string script, int words) =>
        Assert.That(VideoEstimate.CountWords(script), Is.EqualTo(words));

    [Test]
    public void Minutes_and_credits_follow_the_pace_and_price()
    {
        var estimate = new VideoEstimate(Videos: 10, Words: 3000, WordsPerMinute: 150, CreditsPerMinute: 0.5);

        Assert.That((estimate.Minutes, estimate.Credits), Is.EqualTo((20.0, 10.0)));
    }

    [Test]
    public void Japanese_is_timed_by_character_at_350_a_minute()
    {
        var length = SpokenLength.Of("美咲さん、こんにちは。" + new string('あ', 340));

        Assert.That((length.Words, length.Characters), Is.EqualTo((0, 349)), "punctuation is not spoken");
        Assert.That(length.MinutesAt(150), Is.EqualTo(349 / 350.0).Within(1e-9));
    }

    [Test]
    public void Chinese_without_kana_is_timed_at_280_characters_a_minute_and_Thai_by_letters_without_marks()
    {
        Assert.That(SpokenLength.Of(new string('你', 280)).MinutesAt(150), Is.EqualTo(1.0).Within(1e-9));
        var thai = SpokenLength.Of("สวัสดีครับ");
        Assert.That(thai.Characters, Is.EqualTo(7), "ั and ี are marks on the letters");
        Assert.That(thai.CharacterMinutes, Is.EqualTo(7 / 600.0).Within(1e-9));
    }

    [Test]
    public void Mixed_script_adds_words_and_characters()
    {
        var estimate = VideoEstimate.Of("Hello Tanaka san, 田中さん、ようこそ BatchVideo へ", new CampaignOptions { WordsPerMinute = 150, CreditsPerMinute = 2 });

        Assert.That((estimate.Words, estimate.Characters), Is.EqualTo((4L, 9L)));
        Assert.That(estimate.Credits, Is.EqualTo(((4 / 150.0) + (9 / 350.0)) * 2).Within(1e-9));
    }
}
