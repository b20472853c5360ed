using BatchVideo.Sandbox;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// How often each command reads its source: one pass decides every row (the rejects file, the review page
/// and the ETA come from it), write-back is the one other read; pricing the batch against an account's
/// limit is the only extra pass, asked only when the account reports a limit.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SourceReadsTests
{
    [Test]
    public async Task Run_reads_the_source_once_for_decisions_and_once_for_write_back()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(50), WalletCurrency = "credits" });
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["CreditsPerMinute"] = 0); // no limit to compare with
        var csv = harness.Folder.Write("contacts.csv", "id,first_name,company\nC-1,Ann,Acme\nC-2,SANDBOX_REFUSE_CREATE,Acme\nC-3,Bo,Acme\nC-4,,Acme\n");
        CountingSource? counted = null;

        var summary = await harness.RunAsync(csv, wrap: s => counted = new CountingSource(s));

        Assert.That((counted!.Reads, counted.WriteBacks), Is.EqualTo((1, 1)));
        Assert.That((summary.Read, summary.Completed, summary.Failed, summary.Rejected), Is.EqualTo((4L, 2L, 1L, 1L)));
        var rejects = await File.ReadAllLinesAsync(summary.RejectsPath!);
        Assert.That(rejects, Has.Length.EqualTo(3), "header, the rejected row and the refused one");
        Assert.That(rejects.Any(l => l.StartsWith("C-2,SANDBOX_REFUSE_CREATE,Acme,", StringComparison.Ordinal)), Is.True, string.Join("\n", rejects));
        Assert.That(summary.ReviewPagePath, Is.Not.Null, "the review page is made from the same pass");
    }

    [Test]
    public async Task Run_on_an_account_with_a_limit_prices_the_rows_in_one_more_read()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(50) });
        var csv = harness.WriteCsv(3);
        CountingSource? counted = null;

        var summary = await harness.RunAsync(csv, wrap: s => counted = new CountingSource(s));

        Assert.That((counted!.Reads, counted.WriteBacks), Is.EqualTo((2, 1)));
        Assert.That(summary.Completed, Is.EqualTo(3));
    }

    [Test]
    public async Task Dry_run_and_validate_read_the_source_once_and_write_nothing_back()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.Folder.Write("contacts.csv", "id,first_name,company\nC-1,Ann,Acme\nC-2,,Acme\nC-3,Bo,Acme\n");
        CountingSource? dry = null;
        CountingSource? validated = null;

        await harness.RunAsync(csv, dryRun: true, wrap: s => dry = new CountingSource(s));
        await harness.ValidateAsync(csv, wrap: s => validated = new CountingSource(s));

        Assert.That((dry!.Reads, dry.WriteBacks), Is.EqualTo((1, 0)));
        Assert.That((validated!.Reads, validated.WriteBacks), Is.EqualTo((1, 0)));
    }

    /// <summary>A source that counts the reads and write-backs asked of it.</summary>
    private sealed class CountingSource(IRecipientSource inner) : IRecipientSource
    {
        private int reads;
        private int writeBacks;

        public int Reads => Volatile.Read(ref reads);

        public int WriteBacks => Volatile.Read(ref writeBacks);

        public string Name => inner.Name;

        public IReadOnlyList<string> Columns => inner.Columns;

        public string KeyColumn => inner.KeyColumn;

        public IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref reads);
            return inner.ReadRowsAsync(ct);
        }

        public Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct)
        {
            Interlocked.Increment(ref writeBacks);
            return inner.WriteBackAsync(lookup, ct);
        }
    }
}
