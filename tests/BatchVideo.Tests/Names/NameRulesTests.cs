using BatchVideo.Names;

namespace BatchVideo.Tests.Names;

/// <summary>The small rules of <c>names</c>: which sentence speaks a name, and which names are heard first.</summary>
[TestFixture]
public sealed class NameRulesTests
{
    [TestCase("Hi Ann! Here is a short video for Acme.", "Ann", "Hi Ann!")]
    [TestCase("Welcome to Acme. We made this for you, Ann. Enjoy!", "Ann", "We made this for you, Ann.")]
    [TestCase("Dear team at Acme Inc.\nAnn, this is for you", "Ann", "Ann, this is for you")]
    [TestCase("李小龍さん、こんにちは。動画です。", "李小龍", "李小龍さん、こんにちは。")]
    [TestCase("Version 2.5 is out for Ann today.", "Ann", "Version 2.5 is out for Ann today.")]
    public void The_first_sentence_holding_the_name_is_spoken(string script, string name, string expected) =>
        Assert.That(NameCollector.FirstSentenceWith(script, name), Is.EqualTo(expected));

    [Test]
    public void A_script_without_the_name_has_no_sentence() =>
        Assert.That(NameCollector.FirstSentenceWith("Hello there. Welcome.", "Ann"), Is.Null);

    [Test]
    public void Non_ascii_mixed_rare_and_long_names_rank_above_plain_common_ones()
    {
        var plain = NameSuspicion.Of("Ann", rows: 40).Score;
        var accented = NameSuspicion.Of("Zoë", rows: 40);
        var mixed = NameSuspicion.Of("Anna李", rows: 40);
        var rare = NameSuspicion.Of("Bob", rows: 1);
        var longName = NameSuspicion.Of("Maximilianus-Alexander", rows: 40);
        var japanese = NameSuspicion.Of("田中さくら", rows: 40);

        Assert.That(plain, Is.Zero);
        Assert.That(accented.Reasons, Is.EqualTo(new[] { "non-ASCII letters" }));
        Assert.That(mixed.Reasons, Does.Contain("mixed scripts"));
        Assert.That(mixed.Score, Is.GreaterThan(accented.Score));
        Assert.That(rare.Reasons, Is.EqualTo(new[] { "rare (one row)" }));
        Assert.That(longName.Reasons, Is.EqualTo(new[] { "long" }));
        Assert.That(japanese.Reasons, Does.Not.Contain("mixed scripts"), "kana and kanji are one script for a name");
    }
}
