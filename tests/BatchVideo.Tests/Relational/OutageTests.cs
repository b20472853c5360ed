using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Relational;

/// <summary>The CRM database goes away while results are due: no finished URL may be lost.</summary>
[TestFixture]
[Category("Integration")]
[Category("Postgres")]
[NonParallelizable]
public sealed class OutageTests
{
    [Test]
    public async Task Database_stopped_during_write_back_and_started_again_every_url_lands()
    {
        const int count = 40;
        var server = PostgresServer.Shared;
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromSeconds(1) });
        await using var database = await TestDatabase.CreateAsync("postgres", harness.Folder);
        await database.CreateSampleContactsAsync();
        await database.ExecuteAsync("DELETE FROM public.contacts");
        await database.ExecuteAsync(
            "INSERT INTO public.contacts (id, first_name, company) VALUES (@Id, @Name, 'Acme')",
            Enumerable.Range(1, count).Select(i => new { Id = $"K{i:D3}", Name = $"N{i}" }));
        harness.UseTable(database, "public.contacts", ledgerInSameDatabase: false);

        var run = harness.RunAsync(null);
        while (harness.Sandbox.Stats.VideosCreated < count && !run.IsCompleted)
        {
            await Task.Delay(10);
        }

        server.Stop();
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        server.Start();
        var summary = await run;

        Assert.That(summary.Completed, Is.EqualTo(count));
        Assert.That(await database.QueryAsync<long>("SELECT COUNT(*) FROM public.contacts WHERE video_url IS NOT NULL"), Is.EqualTo(new[] { (long)count }));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(count));
    }
}
