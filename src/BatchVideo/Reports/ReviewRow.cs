namespace BatchVideo.Reports;

/// <summary>
/// One recipient on the review page: where the row is, who it is, what became of it, the video and
/// the words it was given, and for a problem row why and what to do. Values from the CRM are kept
/// as read; the page escapes them.
/// </summary>
public sealed record ReviewRow(long Line, string? Key, string? Name, string Status)
{
    public string? VideoId { get; init; }

    /// <summary>The stable HeyGen page of the video, when there is one.</summary>
    public string? PageUrl { get; init; }

    /// <summary>A link to the MP4 itself (signed, or our copy), played inline on the page.</summary>
    public string? Mp4Url { get; init; }

    public string? ThumbnailUrl { get; init; }

    /// <summary>The title as sent (with its marker).</summary>
    public string? Title { get; init; }

    /// <summary>The spoken script as rendered from the template.</summary>
    public string? Script { get; init; }

    public string? Reason { get; init; }

    /// <summary>What the operator can do about the problem.</summary>
    public string? Advice { get; init; }

    /// <summary>What the recipient did with their page (views, watch depth), when the campaign has pages and the row one.</summary>
    public Pages.Engagement? Engagement { get; init; }
}

/// <summary>The statuses a row can have on the review page, in the order the page lists them.</summary>
public static class ReviewStatus
{
    public const string Completed = "completed";
    public const string Rendering = "rendering";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const string ToResume = "to resume";
    public const string NotSent = "not sent";
    public const string WouldSend = "would send";
    public const string AlreadyDone = "already done";

    public static IReadOnlyList<string> All { get; } = [Completed, Rendering, Failed, Rejected, ToResume, NotSent, WouldSend, AlreadyDone];
}

/// <summary>What to do about a problem row, by its code (<see cref="Campaigns.RowProblem.Code"/>).</summary>
public static class ProblemAdvice
{
    public static string For(string status, string? code) => code switch
    {
        "empty_column" => "Fill in the column in the rejects CSV (or mark it optional in Campaigns:<name>:OptionalColumns), then run that file.",
        "merge_tag" or "formula" or "double_encoded" => "Correct the value in the CRM (the reason shows it as written), or accept the code in Campaigns:<name>:AcceptProblems if such values are right.",
        "duplicate_key" => "Give the row a key of its own if it is another person, or delete the second copy.",
        "empty_key" => "Give the row a key: without one it cannot be told apart from others or protected from double payment.",
        "malformed_row" => "Fix the row's quoting or number of fields in the export, then run it again.",
        "script_too_long" => "Shorten the template or the row's values: HeyGen takes at most 5,000 characters of script.",
        "empty_script" => "The template renders nothing for this row: check the values it reads.",
        "template_error" or "render_failed" => "Fix the template for this row's values (see the reason), then run it again.",
        "failed_earlier" => "It failed in an earlier run; run with --retry-failed to pay for a new attempt.",
        "interrupted" or "no_answer" => "Run again: the create is replayed with the same Idempotency-Key and is never paid twice.",
        _ => status switch
        {
            ReviewStatus.Failed => "See the reason; once it is fixed, run with --retry-failed to pay for a new attempt.",
            ReviewStatus.ToResume => "Run again: the create is replayed with the same Idempotency-Key and is never paid twice.",
            ReviewStatus.NotSent => "Run again to send it (the run stopped before reaching it).",
            ReviewStatus.Rendering => "Run again later: the next run follows the video and writes it back.",
            _ => "Fix the row as the reason says, then run it again.",
        },
    };
}
