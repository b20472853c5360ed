using BatchVideo.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Support;

/// <summary>
/// The base of a fixture run once per engine (<c>[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]</c>:
/// SQLite, and the test PostgreSQL): every test gets its own migrated <see cref="LedgerStore"/> on a fresh database,
/// on a fake clock that starts at <see cref="Start"/>. A derived fixture's own [SetUp] runs after this one's.
/// </summary>
public abstract class LedgerFixture(string engine)
{
    // Lower-case like the fields they replace in each fixture, so the tests read as they did.
    protected TempFolder folder { get; private set; } = null!;

    /// <summary>Null when set-up stopped before the database existed (an engine not available here).</summary>
    protected TestDatabase? database { get; private set; }

    protected FakeTimeProvider time { get; private set; } = null!;

    protected LedgerStore ledger { get; private set; } = null!;

    /// <summary>Where the ledger's clock starts: now, unless a fixture needs a fixed time.</summary>
    protected virtual DateTimeOffset Start => DateTimeOffset.UtcNow;

    [SetUp]
    public async Task SetUpLedgerAsync()
    {
        folder = new TempFolder();
        database = await TestDatabase.CreateAsync(engine, folder);
        time = new FakeTimeProvider(Start);
        ledger = new LedgerStore(LedgerDialect.For(database.Engine.Kind), database.ConnectionString, time);
        await ledger.MigrateAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDownLedgerAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        folder.Dispose();
    }
}
