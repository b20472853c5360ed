using System.Globalization;
using System.Text.RegularExpressions;

namespace BatchVideo.Reports;

/// <summary>One command's files in the reports folder: its JSON report, review page and rows to fix.</summary>
/// <param name="Campaign">The campaign's name as written into the file name (<see cref="ReportWriter.SafeName"/>).</param>
/// <param name="Command">run, dry-run, validate …</param>
public sealed record ReportSet(string Campaign, string Command, DateTimeOffset StartedAt, string Stem)
{
    public string? Report { get; init; }

    public string? ReviewPage { get; init; }

    public string? RowsToFix { get; init; }
}

/// <summary>The latest results per campaign, found from the names <see cref="ReportWriter"/> gives its files.</summary>
public sealed record CampaignReports(string Campaign, ReportSet Latest, ReportSet? LatestWithReviewPage, int Runs);

/// <summary>
/// Reads the reports folder: every command leaves <c>{campaign}-{yyyyMMddTHHmmssZ}-{command}[-n]</c> with
/// <c>.json</c>, <c>.html</c> and <c>-rejects.csv</c>, so after an hour of use the latest of each campaign is
/// found by name alone, without opening dozens of files.
/// </summary>
public static partial class ReportIndex
{
    [GeneratedRegex(@"^(?<campaign>.+)-(?<stamp>\d{8}T\d{6}Z)-(?<command>[a-z]+(?:-[a-z]+)*)(?:-(?<n>\d+))?(?<kind>\.json|\.html|-rejects\.csv)$")]
    private static partial Regex FileName();

    /// <summary>Every campaign with reports in <paramref name="folder"/>, by name; empty when the folder does not exist.</summary>
    public static IReadOnlyList<CampaignReports> Read(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var sets = new Dictionary<string, ReportSet>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            if (FileName().Match(Path.GetFileName(path)) is not { Success: true } match)
            {
                continue;
            }

            var stem = path[..^match.Groups["kind"].Length];
            var set = sets.TryGetValue(stem, out var known) ? known : new ReportSet(
                match.Groups["campaign"].Value,
                match.Groups["command"].Value,
                DateTimeOffset.ParseExact(match.Groups["stamp"].Value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                stem);
            sets[stem] = match.Groups["kind"].Value switch
            {
                ".json" => set with { Report = path },
                ".html" => set with { ReviewPage = path },
                _ => set with { RowsToFix = path },
            };
        }

        return
        [
            .. sets.Values
                .GroupBy(s => s.Campaign, StringComparer.Ordinal)
                .Select(g =>
                {
                    // Newest first; two in the same second are told apart by their -n suffix (a longer stem).
                    var ordered = g.OrderByDescending(s => s.StartedAt).ThenByDescending(s => s.Stem.Length).ThenByDescending(s => s.Stem, StringComparer.Ordinal).ToList();
                    return new CampaignReports(g.Key, ordered[0], ordered.FirstOrDefault(s => s.ReviewPage is not null), ordered.Count);
                })
                .OrderBy(c => c.Campaign, StringComparer.Ordinal),
        ];
    }
}
