using System.Text.RegularExpressions;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// The real executable against the golden corpus: every <c>*.golden</c> file under Corpus/ names its
/// command on its first line and holds the expected stdout, stderr and exit code after it. A case's
/// folder may hold its own contacts.csv and welcome.sbn; otherwise the repository's sample with its
/// two rows broken on purpose (sample-data/contacts-with-problems.csv) is used.
/// Set BATCHVIDEO_UPDATE_GOLDEN=1 to rewrite the files from what the commands print, then review the diff.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class GoldenTests
{
    private const string UpdateVariable = "BATCHVIDEO_UPDATE_GOLDEN";
    private const string Prompt = "$ batchvideo ";

    private static readonly string Corpus = Repository.File("tests", "BatchVideo.Tests", "Corpus");

    public static IEnumerable<TestCaseData> Goldens() =>
        Directory.EnumerateFiles(Corpus, "*.golden", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Corpus, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(name => new TestCaseData(name).SetName($"Golden({name})"));

    [TestCaseSource(nameof(Goldens))]
    public async Task Command_output_matches_its_golden_file(string name)
    {
        var golden = Path.Combine(Corpus, name);
        var expected = (await File.ReadAllTextAsync(golden)).ReplaceLineEndings("\n");
        var command = expected[..expected.IndexOf('\n', StringComparison.Ordinal)];
        Assert.That(command, Does.StartWith(Prompt), $"{name} must start with the command it checks");
        await using var harness = await PipelineHarness.StartAsync();
        ArrangeCase(harness, Path.GetDirectoryName(golden)!);

        var result = await harness.RunCliAsync(command[Prompt.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var actual = $"{command}\n--- stdout ---\n{result.Output}--- stderr ---\n{result.Error}--- exit code {result.ExitCode} ---\n";
        actual = Normalize(actual.ReplaceLineEndings("\n"), harness.Folder.Path);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(golden, actual);
            Assert.Ignore($"{name} rewritten; review the diff.");
        }

        Assert.That(actual, Is.EqualTo(expected), $"{name} differs; if the change is intended, rerun with {UpdateVariable}=1 and review the diff.");
    }

    [Test]
    public void Corpus_covers_every_broken_input_the_issue_names()
    {
        var cases = Directory.GetDirectories(Corpus).Select(Path.GetFileName);

        Assert.That(cases, Is.SupersetOf(new[]
        {
            "truncated", "unbalanced-quotes", "latin1", "duplicate-header", "empty-file", "infinite-loop",
            "template-syntax", "missing-key-column", "empty-keys", "duplicate-keys", "script-too-long", "sample",
        }));
    }

    /// <summary>The operator's layout: appsettings.json, templates/welcome.sbn and contacts.csv in one folder.</summary>
    private static void ArrangeCase(PipelineHarness harness, string folder)
    {
        File.Copy(Repository.File("appsettings.json"), harness.ConfigPath, overwrite: true);
        Directory.CreateDirectory(harness.Folder.File("templates"));
        // Every campaign's template (the sample has one of each video type), then the case's own script.
        foreach (var shipped in Directory.GetFiles(Repository.File("templates"), "*.sbn"))
        {
            File.Copy(shipped, harness.Folder.File("templates/" + Path.GetFileName(shipped)), overwrite: true);
        }

        var template = Path.Combine(folder, "welcome.sbn");
        File.Copy(File.Exists(template) ? template : Repository.File("templates", "welcome.sbn"), harness.Folder.File("templates/welcome.sbn"), overwrite: true);
        var csv = Path.Combine(folder, "contacts.csv");
        File.Copy(File.Exists(csv) ? csv : Repository.File("sample-data", "contacts-with-problems.csv"), harness.Folder.File("contacts.csv"));
    }

    /// <summary>What differs between two correct runs: the test folder, UTC stamps in report names, timings, the sandbox port.</summary>
    private static string Normalize(string text, string folder)
    {
        text = text.Replace(folder, "<folder>", StringComparison.Ordinal);
        text = UtcStamp().Replace(text, "<utc>");
        text = Elapsed().Replace(text, "${label}<seconds> s");
        return LoopbackPort().Replace(text, "http://127.0.0.1:<port>/");
    }

    [GeneratedRegex(@"\d{8}T\d{6}Z")]
    private static partial Regex UtcStamp();

    [GeneratedRegex(@"(?<label>elapsed\s+)\d+\.\d s")]
    private static partial Regex Elapsed();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex LoopbackPort();
}
