using System.Text.Json.Serialization;

namespace BatchVideo.Reports;

/// <summary>
/// What one run, dry run or validation did, as JSON for operators and their tools. It names the
/// campaign and source only: never the API key, a connection string or a row's values.
/// </summary>
public sealed record RunReport
{
    /// <summary><c>run</c>, <c>dry-run</c> or <c>validate</c>.</summary>
    public required string Command { get; init; }

    public required string Campaign { get; init; }

    public required string Source { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required int ExitCode { get; init; }

    public string? StoppedBecause { get; init; }

    /// <summary>Rows per state, in pipeline order.</summary>
    public required IReadOnlyDictionary<string, long> Counts { get; init; }

    public required ReportTimings Timings { get; init; }

    /// <summary>HTTP attempts sent to HeyGen, retries included.</summary>
    public required ReportRequests Requests { get; init; }

    public ReportEstimate? Estimate { get; init; }

    /// <summary>Problem rows grouped by kind and code, largest group first.</summary>
    public required IReadOnlyList<ErrorGroup> Errors { get; init; }

    /// <summary>The CSV of rejected and failed rows, when there were any.</summary>
    public string? RejectsFile { get; init; }

    public long RejectsWritten { get; init; }
}

public sealed record ReportTimings(double ElapsedSeconds, double? ReadingSeconds, double? SubmittingSeconds);

public sealed record ReportRequests(long Sent, double PerSecond, IReadOnlyDictionary<string, long> ByOutcome);

/// <summary>
/// A run's estimate as reports show it, rounded as <see cref="Campaigns.Spend"/> rounds it everywhere.
/// <see cref="CreditsPerMinute"/> and <see cref="Credits"/> are in <see cref="Unit"/> (the names are older than USD wallets).
/// </summary>
public sealed record ReportEstimate(long Videos, long Words, double WordsPerMinute, double Minutes, double CreditsPerMinute, double Credits)
{
    /// <summary><c>usd</c> or <c>credits</c>.</summary>
    public string Unit { get; init; } = Campaigns.Spend.Credits;

    /// <summary>The figure in words, as the console and the review page print it ("$26.26", "6.6 credits").</summary>
    public string Cost { get; init; } = "";

    /// <summary>True when the account was not asked its unit (no pre-flight).</summary>
    public bool UnitAssumed { get; init; }

    public static ReportEstimate Of(Campaigns.VideoEstimate e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new ReportEstimate(e.Videos, e.Words, e.WordsPerMinute, Math.Round(e.Minutes, 2), e.CreditsPerMinute, Campaigns.Spend.Round(e.Credits, e.Unit))
        {
            Unit = e.Unit,
            Cost = Campaigns.Spend.Amount(e),
            UnitAssumed = e.UnitAssumed,
        };
    }
}

/// <summary>Rows that failed the same way: how many, where the first one is, and its reason as an example.</summary>
public sealed record ErrorGroup(string Kind, string Code, long Count, long FirstLine, string Example);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class ReportJson : JsonSerializerContext
{
    /// <summary>Accents and quotes as they are: the report is read by people as much as by tools.</summary>
    public static ReportJson Readable { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
