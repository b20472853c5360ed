using System.Text.RegularExpressions;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Docs;

/// <summary>The README and the docs/ pages: every relative link resolves, to a file and to a heading.</summary>
[TestFixture]
public sealed partial class DocLinkTests
{
    private static IEnumerable<string> Pages() =>
        [Repository.File("README.md"), .. Directory.EnumerateFiles(Repository.File("docs"), "*.md").Order(StringComparer.Ordinal)];

    [Test]
    public void Every_relative_link_in_the_readme_and_docs_resolves()
    {
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var page in Pages())
        {
            foreach (var target in Links(File.ReadAllText(page)))
            {
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                checkedLinks++;
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var file = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var path = file.Length == 0 ? page : Path.GetFullPath(Uri.UnescapeDataString(file), Path.GetDirectoryName(page)!);
                var name = Path.GetRelativePath(Repository.Root, page);
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{name}: {target} (no such file)");
                }
                else if (anchor is not null && (!path.EndsWith(".md", StringComparison.Ordinal) || !Anchors(File.ReadAllText(path)).Contains(anchor)))
                {
                    broken.Add($"{name}: {target} (no such heading)");
                }
            }
        }

        Assert.That(checkedLinks, Is.GreaterThan(10));
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void The_readme_is_a_newcomers_page_with_the_two_set_up_commands()
    {
        var readme = File.ReadAllLines(Repository.File("README.md"));

        Assert.That(readme, Has.Length.LessThanOrEqualTo(250));
        Assert.That(readme, Does.Contain("dotnet run --project src/BatchVideo.Cli -- run --csv sample-data/contacts.csv --sandbox"));
        Assert.That(readme, Does.Contain("dotnet test BatchVideo.sln"));
    }

    [Test]
    public void Slugs_follow_githubs_rules()
    {
        Assert.That(Anchors("## The `run` command\n## Nightly: `batchvideo serve`\n## Exit codes\n## Exit codes\n"), Is.EquivalentTo(new[] { "the-run-command", "nightly-batchvideo-serve", "exit-codes", "exit-codes-1" }));
        Assert.That(Links("[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n![img](p.png)"), Is.EqualTo(new[] { "x.md", "p.png" }));
    }

    /// <summary>Link targets outside code spans and fenced blocks.</summary>
    private static List<string> Links(string markdown)
    {
        var prose = InlineCode().Replace(FencedBlock().Replace(markdown, ""), "");
        return [.. Link().Matches(prose).Select(m => m.Groups["target"].Value)];
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(FencedBlock().Replace(markdown, "")))
        {
            var slug = new string([.. heading.Groups["text"].Value.Trim().ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-');
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++)
            {
                unique = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
