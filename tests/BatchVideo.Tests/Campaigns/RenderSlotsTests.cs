using BatchVideo.Campaigns;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Campaigns;

/// <summary>The render slots alone, on a fake clock: waiting, the account's other videos, refusals and recovery.</summary>
[TestFixture]
public sealed class RenderSlotsTests
{
    private static async Task<List<RenderSlot>> TakeAsync(RenderSlots slots, int count)
    {
        var taken = new List<RenderSlot>();
        for (var i = 0; i < count; i++)
        {
            taken.Add(await slots.TakeAsync(CancellationToken.None));
        }

        return taken;
    }

    [Test]
    public async Task A_row_waits_for_a_slot_until_a_video_finishes()
    {
        using var slots = new RenderSlots(3, new FakeTimeProvider());
        var held = await TakeAsync(slots, 3);

        var waiting = slots.TakeAsync(CancellationToken.None);
        var waitedWhileFull = !waiting.IsCompleted;
        var queued = slots.Waiting;
        slots.Return(held[0]);
        await waiting;

        Assert.That((waitedWhileFull, queued, slots.InUse), Is.EqualTo((true, 1L, 3)));
    }

    [Test]
    public async Task A_slot_given_back_twice_frees_one_slot()
    {
        using var slots = new RenderSlots(2, new FakeTimeProvider());
        var held = await TakeAsync(slots, 2);

        slots.Return(held[0]);
        slots.Return(held[0]);

        Assert.That(slots.InUse, Is.EqualTo(1));
    }

    [Test]
    public async Task Videos_in_flight_elsewhere_hold_slots()
    {
        using var slots = new RenderSlots(10, new FakeTimeProvider());
        slots.ObserveInFlight(7);

        var mine = await TakeAsync(slots, 3);
        var fourth = slots.TakeAsync(CancellationToken.None);
        var blocked = !fourth.IsCompleted;
        slots.ObserveInFlight(3 + 6); // one of the others finished; the ledger also shows our three
        await fourth;

        Assert.That((mine.Count, blocked, slots.HeldElsewhere), Is.EqualTo((3, true, 6)));
    }

    [Test]
    public async Task A_refusal_shrinks_the_cap_pauses_creates_for_retry_after_and_creates_grow_it_back()
    {
        var time = new FakeTimeProvider();
        using var slots = new RenderSlots(10, time);
        var held = await TakeAsync(slots, 10);
        foreach (var slot in held.Take(6))
        {
            slots.Created(slot);
        }

        // The account had room for the six that rendered: the other four are refused.
        foreach (var slot in held.Skip(6))
        {
            slots.Refuse(slot, TimeSpan.FromSeconds(5));
        }

        var shrunk = slots.EffectiveCap;
        var retry = slots.TakeAsync(CancellationToken.None);
        var pausedBeforeRetryAfter = !retry.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(5));
        var again = await retry;
        slots.Created(again);
        for (var i = 0; i < 2 * shrunk; i++)
        {
            var next = held[i % 6];
            slots.Return(next);
            held[i % 6] = await slots.TakeAsync(CancellationToken.None);
            slots.Created(held[i % 6]);
        }

        Assert.That(shrunk, Is.EqualTo(7), "70% of 10, once for the four refusals that came together");
        Assert.That(pausedBeforeRetryAfter, Is.True);
        Assert.That(slots.Refused, Is.EqualTo(4));
        Assert.That(slots.EffectiveCap, Is.EqualTo(8), "one more slot after twice the cap's successes");
    }

    [Test]
    public async Task A_stopped_wait_holds_no_slot()
    {
        using var slots = new RenderSlots(1, new FakeTimeProvider());
        await TakeAsync(slots, 1);
        using var stop = new CancellationTokenSource();

        var waiting = slots.TakeAsync(stop.Token);
        await stop.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(slots.InUse, Is.EqualTo(1));
    }

    [Test]
    public async Task A_single_refusal_pauses_creates_but_keeps_the_cap_and_a_second_in_a_row_shrinks_it()
    {
        // HeyGen answers its request-rate limit with the same 429 as its job cap: one refusal between
        // successes is not evidence that the account is full.
        var time = new FakeTimeProvider();
        using var slots = new RenderSlots(10, time);
        var held = await TakeAsync(slots, 3);
        slots.Created(held[0]);
        slots.Refuse(held[1], TimeSpan.FromSeconds(1));
        var afterOne = slots.EffectiveCap;
        slots.Refuse(held[2], TimeSpan.FromSeconds(1));

        Assert.That((afterOne, slots.EffectiveCap, slots.Refused), Is.EqualTo((10, 7, 2L)));
    }

    [Test]
    public async Task Own_rows_without_a_slot_are_not_counted_as_videos_elsewhere()
    {
        using var slots = new RenderSlots(10, new FakeTimeProvider());
        var held = await TakeAsync(slots, 4);
        slots.Created(held[0]);
        slots.Unanswered(held[1]); // the create got no answer: its entry stays "submitting"
        slots.ClaimWaiting(true); // a refused row waits for a slot again: its entry stays "submitting"
        slots.Refuse(held[2], null);

        // The ledger shows the four entries: one rendering, one being sent, one unanswered, one waiting.
        slots.ObserveInFlight(4);

        Assert.That((slots.HeldElsewhere, slots.OwnClaimsWithoutSlot, slots.InUse), Is.EqualTo((0, 2, 2)));
    }
}
