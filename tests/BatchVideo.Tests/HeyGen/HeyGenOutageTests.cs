using BatchVideo.HeyGen;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.HeyGen;

/// <summary>The recovery rule after HeyGen was unreachable, on a fake clock: one probe per break, then everyone at once.</summary>
[TestFixture]
public sealed class HeyGenOutageTests
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(5);

    // Only a guard against a broken rule hanging the test; nothing here waits on the wall clock when it works.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Test]
    public async Task After_an_outage_the_waiting_requests_go_together_within_one_break_of_HeyGen_returning()
    {
        var time = new FakeTimeProvider();
        var outage = new HeyGenOutage(time, ProbeInterval, GiveUp);
        var start = time.GetUtcNow();
        var back = start + TimeSpan.FromSeconds(40);
        outage.Unreachable(probe: false);
        var waiting = Enumerable.Range(0, 10).Select(_ => outage.EnterAsync(CancellationToken.None).AsTask()).ToList();
        var probes = 0;
        var breaks = new List<TimeSpan>();
        var lastProbe = start;
        while (true)
        {
            // The clock moves to the end of the break: its one probe goes.
            var probe = await NextToFinishAsync(waiting, outage, time);
            probes++;
            breaks.Add(time.GetUtcNow() - lastProbe);
            lastProbe = time.GetUtcNow();
            Assert.That(await probe, Is.True, "only a probe passes an open circuit");
            waiting.Remove(probe);
            if (time.GetUtcNow() < back)
            {
                outage.Unreachable(probe: true);
                waiting.Add(outage.EnterAsync(CancellationToken.None).AsTask());
                continue;
            }

            outage.Reached();
            break;
        }

        var released = await Task.WhenAll(waiting).WaitAsync(Guard);
        var recoveredAfter = time.GetUtcNow() - back;

        Assert.That(released, Has.Length.EqualTo(9).And.All.False, "the nine others go at once, none as a probe");
        Assert.That(recoveredAfter, Is.LessThanOrEqualTo(ProbeInterval), "back at full pace within one break of HeyGen's return");
        Assert.That(breaks.Take(5), Is.EqualTo(new[] { 0.5, 1, 2, 4, 5 }.Select(TimeSpan.FromSeconds)), "breaks double from 0.5 s up to the probe interval");
        Assert.That(probes, Is.LessThan(20), "one request per break while HeyGen is down, not one per waiting row");
        Assert.That(outage.IsOpen, Is.False);
        Assert.That(outage.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully, Is.True, "a closed circuit lets requests through at once");
    }

    [Test]
    public async Task A_probe_that_is_cancelled_hands_the_probe_to_the_next_waiter()
    {
        var time = new FakeTimeProvider();
        var outage = new HeyGenOutage(time, ProbeInterval, GiveUp);
        outage.Unreachable(probe: false);
        var first = outage.EnterAsync(CancellationToken.None).AsTask();
        var second = outage.EnterAsync(CancellationToken.None).AsTask();
        time.Advance(HeyGenOutage.FirstBreak);
        var probe = await Task.WhenAny(first, second).WaitAsync(Guard);
        var other = probe == first ? second : first;

        outage.Abandoned(probe: true);

        Assert.That(await other.WaitAsync(Guard), Is.True);
        Assert.That(outage.IsOpen, Is.True, "a cancellation says nothing about HeyGen");
    }

    [Test]
    public async Task After_the_give_up_time_requests_fail_at_once_and_probes_go_on()
    {
        var time = new FakeTimeProvider();
        var outage = new HeyGenOutage(time, ProbeInterval, GiveUp);
        outage.Unreachable(probe: false);
        time.Advance(GiveUp);
        var probe = await outage.EnterAsync(CancellationToken.None).AsTask().WaitAsync(Guard);

        var refused = await Assert.ThrowsAsync<HeyGenUnreachableException>(async () => await outage.EnterAsync(CancellationToken.None));

        Assert.That(probe, Is.True);
        Assert.That(refused!.Message, Does.Contain("unreachable for 300 s").And.Contain("HeyGen:OutageGiveUp"));
        Assert.That(refused, Is.InstanceOf<HttpRequestException>(), "callers treat it as no answer: the row is resumed by a rerun");
    }

    /// <summary>Moves the fake clock to the circuit's next probe time; returns the request that passes then.</summary>
    private static async Task<Task<bool>> NextToFinishAsync(List<Task<bool>> tasks, HeyGenOutage outage, FakeTimeProvider time)
    {
        var at = outage.ProbeAt ?? throw new AssertionException("the circuit is closed");
        time.Advance(at - time.GetUtcNow());
        return await Task.WhenAny(tasks).WaitAsync(Guard);
    }
}
