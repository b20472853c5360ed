using BatchVideo.Sources;

namespace BatchVideo.Tests.Sources;

[TestFixture]
public sealed class SeenKeysTests
{
    [Test]
    public void A_key_seen_again_reports_the_line_it_was_first_seen_on()
    {
        using var seen = new SeenKeys();

        var first = seen.TryAdd("C-1", 2, out _);
        var again = seen.TryAdd("C-1", 9, out var firstLine);

        Assert.That((first, again, firstLine, seen.Count), Is.EqualTo((true, false, 2L, 1)));
    }

    [Test]
    public void Keys_are_exact_across_growth_case_and_length()
    {
        using var seen = new SeenKeys();
        var longKey = new string('k', 3_000_000);

        var added = Enumerable.Range(0, 200_000).Count(i => seen.TryAdd("C-" + i, i, out _));

        Assert.That(added, Is.EqualTo(200_000));
        Assert.That(seen.TryAdd("c-1", 1, out _), Is.True, "keys are case-sensitive");
        Assert.That(seen.TryAdd("美咲-1", 1, out _), Is.True);
        Assert.That(seen.TryAdd(longKey, 7, out _), Is.True);
        Assert.That(seen.TryAdd(longKey, 8, out var line), Is.False);
        Assert.That(line, Is.EqualTo(7));
        Assert.That(seen.TryAdd("C-123456", 0, out var found), Is.False);
        Assert.That(found, Is.EqualTo(123_456));
        Assert.That(seen.Count, Is.EqualTo(200_003));
    }

    [Test]
    public void Keys_whose_hash_bits_collide_are_still_told_apart_exactly()
    {
        using var seen = new SeenKeys();

        // A million keys put thousands of pairs on the same 28 hash bits: each pair is confirmed by its bytes.
        var added = Enumerable.Range(0, 1_000_000).Count(i => seen.TryAdd(i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), i, out _));
        var again = Enumerable.Range(0, 1_000_000).Count(i => !seen.TryAdd(i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), -1, out var first) && first == i);

        Assert.That((added, again, seen.Count), Is.EqualTo((1_000_000, 1_000_000, 1_000_000)));
    }
}
