using System.ComponentModel.DataAnnotations;

namespace BatchVideo.HeyGen;

/// <summary>How BatchVideo talks to HeyGen (or the sandbox): endpoint, key, pacing and retries.</summary>
public sealed class HeyGenOptions
{
    public const string Section = "HeyGen";

    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.heygen.com/");

    /// <summary>From HEYGEN_API_KEY or user secrets; never from a committed file, never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How often one video in flight is asked for its status.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests to HeyGen in the air at once (creates and status checks together).</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// Client-side ceiling on requests per second. HeyGen does not publish its per-key rate, so this is
    /// the operator's number; a 429 is still honoured through Retry-After.
    /// </summary>
    [Range(0.1, 100_000)]
    public double RequestsPerSecond { get; set; } = 5;

    /// <summary>Retries of one request on 429, 5xx, 409 request_in_progress and timeouts.</summary>
    [Range(0, 50)]
    public int MaxRetries { get; set; } = 8;

    /// <summary>Time allowed for one read (GET) attempt before it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time allowed for one create (and any other write) attempt. HeyGen's own CLI gives writes 120 s,
    /// sized from a <c>POST /v3/videos</c> p99 of about 31 s (heygen-cli <c>cmd/heygen/timeouts.go</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CreateAttemptTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// While HeyGen cannot be reached, the longest wait between two probes (the first waits 0.5 s, each failed
    /// one doubles it up to this): the run is back to its pace at most this long after HeyGen is (HeyGenOutage).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan OutageProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long requests wait for an unreachable HeyGen before they fail at once (the run records their rows as
    /// "to resume" and ends; a rerun replays them). The probes go on.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OutageGiveUp { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Render slots: how many videos the account may have created and not yet finished, HeyGen's
    /// "concurrent video jobs" limit (pay-as-you-go 10, Enterprise 20 or more; docs "Limits"). Videos in
    /// flight recorded in the ledger by other runs or machines hold slots too. Past the account's cap HeyGen
    /// answers 429 <c>rate_limit_exceeded</c>; BatchVideo then uses fewer slots for a while.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentJobs { get; set; } = 10;

    /// <summary>
    /// Consecutive row failures with one error code that stop the run (0: never). Each failure may cost
    /// credits, and five alike almost always mean a cause no further row will escape.
    /// </summary>
    [Range(0, 1_000_000)]
    public int CircuitBreakerFailures { get; set; } = 5;

    /// <summary>
    /// The signing secret (<c>whsec_…</c>) of the registered webhook endpoint, from user secrets or the
    /// environment (<c>HeyGen__WebhookSecret</c>); never from a committed file, never logged.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How far a delivery's Heygen-Timestamp may be from now, either way (HeyGen suggests 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after its create a video's webhook events are still applied. A render takes minutes to hours and
    /// HeyGen redelivers a failed delivery for up to 24 hours (webhooks guide), so an event about an older video is
    /// a replay of a captured body or something polling and <c>refresh</c> handle as well: it is acknowledged and
    /// ignored. Default 3 days.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan WebhookMaxVideoAge { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Largest webhook body accepted; real ones are about a kilobyte.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int WebhookMaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a signed video link lasts when the link itself does not say (HeyGen's v1 docs: 7 days;
    /// v3 only says "time-limited").
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SignedLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long after its create a video answering 404 is taken for not visible yet rather than gone: the
    /// docs do not say whether a GET right after a create can miss it, so such a 404 is asked again later.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan NotFoundGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Endpoints trusted to honour an <c>Idempotency-Key</c> (paths; <c>{name}</c> matches one segment). A create
    /// to one of them is retried after a 5xx, a timeout or a broken connection, and an unanswered one is replayed
    /// with its key by the next run; a create to any other endpoint is sent once, and a lost answer becomes an
    /// outcome the operator decides (docs/reconciliation.md). Null: the documented ones
    /// (<see cref="HeyGen.IdempotentEndpoints.Documented"/>: <c>/v3/videos</c> and <c>/v3/templates/{template_id}</c>, not <c>/v3/video-agents</c>). Add
    /// <c>/v3/video-agents</c> only after verifying against a real account that a repeated key makes no second session.
    /// </summary>
    public IReadOnlyList<string>? IdempotentEndpoints { get; set; }

    /// <summary>The endpoints trusted with a key: <see cref="IdempotentEndpoints"/>, or the documented ones.</summary>
    public IReadOnlyList<string> TrustedIdempotentEndpoints => IdempotentEndpoints ?? HeyGen.IdempotentEndpoints.Documented;

    /// <summary>Whether a write to <paramref name="path"/> may be repeated after it may have reached HeyGen.</summary>
    public bool TrustsIdempotencyKey(string path) => HeyGen.IdempotentEndpoints.Trusts(TrustedIdempotentEndpoints, path);

    /// <summary>
    /// How long, after a run's videos are done, caption files not there at completion are still asked for (every
    /// <see cref="PollInterval"/>) before the write-back: HeyGen reports captions with their own events
    /// (<c>avatar_video_caption.success</c>), so <c>subtitle_url</c> may come after the video. Rows still without one
    /// are reported; <c>batchvideo refresh</c> writes them later.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CaptionWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Sent as callback_url on every create when set (unsigned; prefer a registered webhook endpoint).</summary>
    public Uri? CallbackUrl { get; set; }
}
