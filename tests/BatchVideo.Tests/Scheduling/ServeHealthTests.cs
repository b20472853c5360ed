using BatchVideo.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace BatchVideo.Tests.Scheduling;

/// <summary><c>/healthz</c>'s probes: bounded by a budget on the app's clock, naming what is down (no wall-clock waits).</summary>
[TestFixture]
public sealed class ServeHealthTests
{
    private static readonly TimeSpan WallClockGuard = TimeSpan.FromSeconds(10);
    private ServiceProvider services = null!;
    private ISchedulerFactory schedulers = null!;
    private IScheduler scheduler = null!;

    [SetUp]
    public async Task StartScheduler()
    {
        // The in-memory scheduler serve itself builds (Scheduling/SchedulingRegistration), named per test.
        services = new ServiceCollection()
            .AddLogging()
            .AddQuartz(quartz => quartz.ConfigureScheduler(s => s.InstanceName = "health-" + Guid.NewGuid().ToString("N")))
            .BuildServiceProvider();
        schedulers = services.GetRequiredService<ISchedulerFactory>();
        scheduler = await schedulers.GetScheduler();
        await scheduler.Start();
    }

    [TearDown]
    public async Task StopScheduler()
    {
        await scheduler.Shutdown(false);
        await services.DisposeAsync();
    }

    [Test]
    public async Task A_ledger_that_never_answers_is_named_once_the_budget_passes()
    {
        var time = new FakeTimeProvider();
        var hung = new TaskCompletionSource();
        var health = new ServeHealth(schedulers, _ => hung.Task, time, NullLogger<ServeHealth>.Instance);

        var check = health.CheckAsync(CancellationToken.None);
        time.Advance(ServeHealth.Budget);
        var report = await check.WaitAsync(WallClockGuard);

        Assert.That(ServeHealth.Budget, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That((report.Status, report.Scheduler, report.Ledger), Is.EqualTo(("degraded", true, false)));
        Assert.That(report.Down, Has.Count.EqualTo(1));
        Assert.That(report.Down[0], Does.StartWith("ledger: no answer within 800 ms"));
    }

    [Test]
    public async Task While_a_ledger_read_is_stuck_no_second_one_is_started()
    {
        var time = new FakeTimeProvider();
        var hung = new TaskCompletionSource();
        var reads = 0;
        var health = new ServeHealth(schedulers, _ => { Interlocked.Increment(ref reads); return hung.Task; }, time, NullLogger<ServeHealth>.Instance);

        var first = health.CheckAsync(CancellationToken.None);
        time.Advance(ServeHealth.Budget);
        await first.WaitAsync(WallClockGuard);
        var second = health.CheckAsync(CancellationToken.None);
        time.Advance(ServeHealth.Budget);
        var report = await second.WaitAsync(WallClockGuard);

        Assert.That(reads, Is.EqualTo(1));
        Assert.That(report.Down[0], Does.Contain("started 1.6 s ago is still waiting"));
    }

    [Test]
    public async Task A_failing_ledger_is_named_by_the_kind_of_failure_without_its_detail()
    {
        var health = new ServeHealth(
            schedulers, _ => throw new InvalidOperationException("unable to open /secret/path/ledger.db"), new FakeTimeProvider(), NullLogger<ServeHealth>.Instance);

        var report = await health.CheckAsync(CancellationToken.None).WaitAsync(WallClockGuard);

        Assert.That(report.Down, Is.EqualTo(new[] { "ledger: the read failed (InvalidOperationException; the log has the detail)" }));
    }

    [Test]
    public async Task A_stopped_scheduler_is_named_and_a_healthy_node_is_ok()
    {
        var health = new ServeHealth(schedulers, _ => Task.CompletedTask, new FakeTimeProvider(), NullLogger<ServeHealth>.Instance);

        var healthy = await health.CheckAsync(CancellationToken.None).WaitAsync(WallClockGuard);
        await scheduler.Standby();
        var standing = await health.CheckAsync(CancellationToken.None).WaitAsync(WallClockGuard);

        Assert.That((healthy.Status, healthy.Node, healthy.Down.Count), Is.EqualTo(("ok", scheduler.SchedulerInstanceId, 0)));
        Assert.That(standing.Down, Is.EqualTo(new[] { "scheduler: standby, not running" }));
    }
}
