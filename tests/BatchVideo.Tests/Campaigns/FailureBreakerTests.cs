using BatchVideo.Campaigns;

namespace BatchVideo.Tests.Campaigns;

[TestFixture]
public sealed class FailureBreakerTests
{
    private readonly List<string> stops = [];

    [SetUp]
    public void SetUp() => stops.Clear();

    private FailureBreaker Breaker(int threshold) => new(threshold, stops.Add);

    [Test]
    public void Five_failures_with_one_code_stop_the_run_once()
    {
        var breaker = Breaker(5);

        for (var i = 0; i < 7; i++)
        {
            breaker.OnFailure("invalid_parameter", "blocked words");
        }

        Assert.That(stops, Has.Count.EqualTo(1));
        Assert.That(stops[0], Does.Contain("5 rows in a row failed with invalid_parameter").And.Contain("blocked words"));
    }

    [Test]
    public void A_different_code_starts_the_count_again()
    {
        var breaker = Breaker(3);

        breaker.OnFailure("a", "m");
        breaker.OnFailure("a", "m");
        breaker.OnFailure("b", "m");
        breaker.OnFailure("a", "m");
        breaker.OnFailure("a", "m");

        Assert.That(stops, Is.Empty);
    }

    [Test]
    public void A_success_starts_the_count_again()
    {
        var breaker = Breaker(3);

        breaker.OnFailure("a", "m");
        breaker.OnFailure("a", "m");
        breaker.OnSuccess();
        breaker.OnFailure("a", "m");
        breaker.OnFailure("a", "m");

        Assert.That(stops, Is.Empty);
    }

    [Test]
    public void Zero_never_stops()
    {
        var breaker = Breaker(0);

        for (var i = 0; i < 100; i++)
        {
            breaker.OnFailure("a", "m");
        }

        Assert.That(stops, Is.Empty);
    }
}
