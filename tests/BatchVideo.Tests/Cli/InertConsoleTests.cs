using BatchVideo.Cli;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>What the console prints is inert: control characters in keys, names and reasons are shown escaped.</summary>
[TestFixture]
public sealed class InertConsoleTests
{
    [TestCase("C-1\u001B[31m", @"C-1\u001B[31m")]
    [TestCase("a\r\nerror: forged", @"a\u000D\u000Aerror: forged")]
    [TestCase("evil\u202Etxt.csv", @"evil\u202Etxt.csv")]
    [TestCase("Zoë, plain", "Zoë, plain")]
    public void Control_characters_are_written_as_their_escapes(string value, string shown) =>
        Assert.That(ConsoleText.Inert(value), Is.EqualTo(shown));

    [Test]
    [Category("Integration")]
    public async Task A_key_with_a_terminal_escape_and_a_line_break_is_printed_escaped_in_the_summary()
    {
        await using var harness = await PipelineHarness.StartAsync();
        // Rejected rows (no first name) are listed with their keys in "Rows that need attention".
        harness.Folder.Write("contacts.csv", "id,first_name,company\n\"C-1\u001B]0;owned\u0007\",,Acme\n\"C-2\nerror: forged line\",,Acme\nC-3,Ana,Acme\n");

        var run = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        var printed = run.Output + run.Error;
        Assert.That(printed.Where(c => char.IsControl(c) && c is not '\n' and not '\r'), Is.Empty, "no raw control character reaches the terminal");
        // The row rules trim trailing control characters from a cell (issue 22), so the BEL goes; the ESC inside stays, escaped.
        Assert.That(printed, Does.Contain(@"C-1\u001B]0;owned,"));
        Assert.That(printed.Split('\n').Where(l => l.StartsWith("error: forged", StringComparison.Ordinal)), Is.Empty, "a line break in a key forges no line");
        Assert.That(printed, Does.Contain(@"C-2\u000Aerror: forged line"));
    }
}
