namespace BatchVideo.Ledger;

/// <summary>
/// What BatchVideo knows about one recipient in one campaign. The row is written before a create is
/// sent (submitting) and after each answer, so a rerun always knows whether it already paid.
/// </summary>
public sealed record LedgerEntry
{
    public required string Campaign { get; init; }

    public required string RecipientKey { get; init; }

    /// <summary>One of <see cref="LedgerState"/>.</summary>
    public required string State { get; init; }

    /// <summary>1 for the first create; raised only when an operator retries a failed video.</summary>
    public int Attempt { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>Text inside the video's title that finds it again with GET /v3/videos?title=.</summary>
    public required string TitleMarker { get; init; }

    public string? VideoId { get; init; }

    /// <summary>HeyGen's last status word, or <see cref="LedgerState.Refused"/> for a create refused before a video existed.</summary>
    public string? VideoStatus { get; init; }

    public string? VideoUrl { get; init; }

    public string? VideoPageUrl { get; init; }

    public string? ThumbnailUrl { get; init; }

    /// <summary>A share page, when HeyGen gave one (webhook <c>video_share_page_url</c>).</summary>
    public string? SharePageUrl { get; init; }

    /// <summary>Animated GIF preview link.</summary>
    public string? GifUrl { get; init; }

    /// <summary>The video with captions burned in (presigned).</summary>
    public string? CaptionedVideoUrl { get; init; }

    /// <summary>SRT subtitles (presigned).</summary>
    public string? SubtitleUrl { get; init; }

    /// <summary>The video's length in seconds, as HeyGen reported it.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Where the downloaded MP4 was stored, when a storage folder is configured.</summary>
    public string? LocalPath { get; init; }

    /// <summary>Unix milliseconds when the signed <see cref="VideoUrl"/> stops working (estimated when HeyGen does not say).</summary>
    public long? LinkExpiresAt { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>Unix milliseconds.</summary>
    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public long? SubmittedAt { get; init; }

    public long? CompletedAt { get; init; }

    public long? WrittenBackAt { get; init; }

    /// <summary>The worker holding this entry while it is claimed or being submitted.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>Unix milliseconds after which another worker may take the entry over.</summary>
    public long? LeaseExpiresAt { get; init; }
}

/// <summary>The states of a ledger entry.</summary>
public static class LedgerState
{
    /// <summary>Found in a table source, waiting for a worker to claim it.</summary>
    public const string Pending = "pending";

    /// <summary>Held by one worker (see ClaimedBy) under a lease; nothing was sent yet.</summary>
    public const string Claimed = "claimed";

    /// <summary>The row could not be rendered; it is tried again when a later run finds it still pending.</summary>
    public const string Rejected = "rejected";

    /// <summary>A create is about to be sent or was sent without an answer recorded: replay it, never resend blind.</summary>
    public const string Submitting = "submitting";

    /// <summary>HeyGen accepted the create; the video is rendering.</summary>
    public const string Submitted = "submitted";

    public const string Completed = "completed";

    /// <summary>The request was refused for this row, or the render failed.</summary>
    public const string Failed = "failed";

    /// <summary>
    /// The <c>video_status</c> of a failed entry whose create was refused for the whole batch before a video
    /// existed (bad key, no credit): sent again by the next run, with a new attempt and key.
    /// </summary>
    public const string Refused = "refused";

    /// <summary>
    /// The <c>video_status</c> of a failed entry whose create may or may not have made a video: it went to an endpoint
    /// not trusted to honour the Idempotency-Key and its answer was lost. Never sent again by a run, not even with
    /// <c>--retry-failed</c>; the operator looks for it in HeyGen and decides (<c>batchvideo resolve</c>).
    /// </summary>
    public const string OutcomeUnknown = "unknown";
}
