using BatchVideo.Campaigns;

namespace BatchVideo.Tests.Campaigns;

[TestFixture]
public sealed class VideoEstimateTests
{
    [TestCase("", 0)]
    [TestCase("Hi Ann!", 2)]
    [TestCase("  Hi\n\tAnn,  how are   you?\r\n", 5)]
    [TestCase("美咲さん、こんにちは", 1)]
    public void Words_are_runs_of_non_whitespace(string script, int words) =>
        Assert.That(VideoEstimate.CountWords(script), Is.EqualTo(words));

    [Test]
    public void Minutes_and_credits_follow_the_pace_and_price()
    {
        var estimate = new VideoEstimate(Videos: 10, Words: 3000, WordsPerMinute: 150, CreditsPerMinute: 0.5);

        Assert.That((estimate.Minutes, estimate.Credits), Is.EqualTo((20.0, 10.0)));
    }
}
