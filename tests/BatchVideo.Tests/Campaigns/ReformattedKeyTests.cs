using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// A key a spreadsheet reformatted is the same person (issue 22, item 4): an all-digit id whose leading
/// zeros were dropped after a paid run is looked up with them, at every width the ledger holds, and its
/// row is rejected naming the paid key instead of paying again.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ReformattedKeyTests
{
    [TestCase("00501", "501")]
    [TestCase("000000123456", "123456")]
    [TestCase("0000000007", "07")]
    public async Task Key_without_its_leading_zeros_after_a_paid_run_is_rejected_naming_the_paid_key(string paid, string reformatted)
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig();
        var first = await harness.RunAsync(harness.Folder.Write("export.csv", $"id,first_name,company\n{paid},Ann,Acme\n0777,Bo,Beta\n"));
        var csv = harness.Folder.Write("resaved.csv", $"id,first_name,company\n{reformatted},Ann,Acme\n777,Bo,Beta\n9{reformatted},Cy,Gamma\n");

        var validated = new List<BatchVideo.Campaigns.RowProblem>();
        await harness.ValidateAsync(csv, onProblem: validated.Add);
        var again = await harness.RunAsync(csv);

        Assert.That(first.Completed, Is.EqualTo(2));
        foreach (var problems in new[] { validated, again.Problems })
        {
            Assert.That(problems.Select(p => (p.Line, p.Key, p.Column, p.Code)), Is.EqualTo(new[] { (2L, reformatted, "id", "zeros_dropped"), (3L, "777", "id", "zeros_dropped") }));
            Assert.That(problems[0].Reason, Does.StartWith($"the key '{reformatted}' is '{paid}' with its leading zeros dropped (a spreadsheet read the id as a number)").And.Contain("as text"));
        }

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(3), "Ann and Bo once each; Cy is a new person");
    }

    [Test]
    public async Task All_digit_keys_are_not_padded_when_the_ledger_holds_no_zero_led_key()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig();
        await harness.RunAsync(harness.Folder.Write("a.csv", "id,first_name,company\n501,Ann,Acme\n"));

        var again = await harness.RunAsync(harness.Folder.Write("b.csv", "id,first_name,company\n501,Ann,Acme\n50,Bo,Beta\n"));

        Assert.That((again.AlreadyDone, again.Rejected, again.Completed), Is.EqualTo((1L, 0L, 1L)));
    }
}
