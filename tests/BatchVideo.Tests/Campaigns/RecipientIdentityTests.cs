using System.Text.RegularExpressions;
using BatchVideo.Campaigns;

namespace BatchVideo.Tests.Campaigns;

[TestFixture]
public sealed partial class RecipientIdentityTests
{
    [GeneratedRegex("^[A-Za-z0-9_\\-:.]{1,255}$")]
    private static partial Regex HeyGenIdempotencyKey();

    [Test]
    public void Same_recipient_always_gets_the_same_marker_and_key()
    {
        var marker = RecipientIdentity.Marker("welcome", "C-1");
        var key = RecipientIdentity.IdempotencyKey("welcome", "C-1", 1);

        Assert.That(RecipientIdentity.Marker("welcome", "C-1"), Is.EqualTo(marker));
        Assert.That(RecipientIdentity.IdempotencyKey("welcome", "C-1", 1), Is.EqualTo(key));
        Assert.That(marker, Does.Match("^bv-[0-9a-f]{20}$"));
    }

    [Test]
    public void Campaign_key_and_attempt_each_change_the_idempotency_key()
    {
        var keys = new[]
        {
            RecipientIdentity.IdempotencyKey("welcome", "C-1", 1),
            RecipientIdentity.IdempotencyKey("renewal", "C-1", 1),
            RecipientIdentity.IdempotencyKey("welcome", "C-2", 1),
            RecipientIdentity.IdempotencyKey("welcome", "C-1", 2),
        };

        Assert.That(keys, Is.Unique);
    }

    [TestCase("C-1")]
    [TestCase("ünïcødé key with spaces / and \"quotes\"")]
    [TestCase("")]
    public void Idempotency_key_matches_HeyGen_pattern_whatever_the_key(string key) =>
        Assert.That(RecipientIdentity.IdempotencyKey("welcome", key, 1), Does.Match(HeyGenIdempotencyKey()));

    [Test]
    public void Title_ends_with_the_marker()
    {
        var marker = RecipientIdentity.Marker("welcome", "C-1");

        Assert.That(RecipientIdentity.Title("Welcome Jo", "welcome", marker), Is.EqualTo($"Welcome Jo [{marker}]"));
        Assert.That(RecipientIdentity.Title(null, "welcome", marker), Is.EqualTo($"welcome [{marker}]"));
    }
}
