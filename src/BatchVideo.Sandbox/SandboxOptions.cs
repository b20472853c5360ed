namespace BatchVideo.Sandbox;

/// <summary>How the local HeyGen-compatible sandbox behaves: render time, limits, faults and catalogue.</summary>
public sealed record SandboxOptions
{
    /// <summary>
    /// Time from accepted to completed (or failed). A video is <c>pending</c> for the first 20% of it and
    /// <c>processing</c> after; zero means it is already done on the first GET.
    /// </summary>
    public TimeSpan RenderTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Render time added per second of the video's estimated length (150 words a minute), so long scripts
    /// render longer, as on HeyGen, where a render takes several times the video's length. 0 (the default
    /// here) renders every video in <see cref="RenderTime"/>; <c>batchvideo sandbox</c> and <c>--sandbox</c>
    /// default to 50 ms (about 3 s per video second, scaled down 60 times so a first run ends in seconds).
    /// </summary>
    public TimeSpan RenderTimePerVideoSecond { get; init; }

    /// <summary>Spread (0..1) of render times: each is multiplied by a uniform draw in [1 - jitter, 1 + jitter].</summary>
    public double RenderJitter { get; init; }

    /// <summary>
    /// Request rate over all <c>/v3</c> API requests; 0 = no limit. A token bucket of
    /// <c>max(1, RequestsPerSecond)</c> tokens, refilled continuously; excess gets 429 with Retry-After.
    /// </summary>
    public double RequestsPerSecond { get; init; }

    /// <summary>
    /// HeyGen's "concurrent video jobs" limit (default 10, a pay-as-you-go account's; HeyGen docs "Limits");
    /// 0 = no limit. Videos not yet completed or failed count; a create beyond it gets 429
    /// <c>rate_limit_exceeded</c> with Retry-After.
    /// </summary>
    public int MaxConcurrentJobs { get; init; } = 10;

    /// <summary>
    /// The Retry-After of a job-cap 429: null (default) is the time until the oldest unfinished video ends,
    /// rounded up to whole seconds; a value is sent as is, rounded up to whole seconds (at least 1). HeyGen
    /// documents a Retry-After on 429 without saying how it is computed, so both kinds are worth testing.
    /// </summary>
    public TimeSpan? JobLimitRetryAfter { get; init; }

    /// <summary>
    /// Slots of the job cap held by the account's other work for the server's whole life (a teammate's
    /// videos in the web app), unseen by any client.
    /// </summary>
    public int OtherJobs { get; init; }

    /// <summary>The only accepted <c>x-api-key</c>; null accepts any non-empty key.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Avatar look ids the sandbox knows (valid <c>avatar_id</c> values).</summary>
    public IReadOnlyCollection<string> AvatarIds { get; init; } = ["sandbox_avatar_anna", "sandbox_avatar_ben", "sandbox_avatar_cleo"];

    /// <summary>
    /// The engines a look lists in <c>supported_api_engines</c>, by look id; a look not listed supports <c>avatar_iv</c>
    /// and <c>avatar_iii</c>. A look supports only some engines (heygen-cli <c>AvatarLooksGet</c>); the default gives
    /// <c>sandbox_avatar_cleo</c> only <c>avatar_v</c>, so it lacks HeyGen's default engine <c>avatar_iv</c>. An avatar
    /// create whose engine (default <c>avatar_iv</c>) its look does not list is refused with 400
    /// <c>invalid_parameter</c>, param <c>avatar_id</c>; HeyGen's answer to such a create is undocumented.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> LookEngines { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["sandbox_avatar_cleo"] = ["avatar_v"],
    };

    /// <summary>Voice ids the sandbox knows (valid <c>voice_id</c> values).</summary>
    public IReadOnlyCollection<string> VoiceIds { get; init; } = ["sandbox_voice_en_warm", "sandbox_voice_en_bright"];

    /// <summary>Fraction (0..1) of API requests answered 500 <c>internal_error</c> before anything is done.</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Fraction (0..1) of API requests answered a spurious 429 with <c>Retry-After: 1</c>.</summary>
    public double RateLimitFaultRate { get; init; }

    /// <summary>
    /// Fraction (0..1) of successful <c>POST /v3/videos</c> whose video is created but whose response is
    /// held for <see cref="HangDuration"/>, the idempotency key staying in flight meanwhile.
    /// </summary>
    public double HangRate { get; init; }

    /// <summary>How long a hung create response is held.</summary>
    public TimeSpan HangDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Seed for the fault dice, for repeatable runs; null draws from a shared random source.</summary>
    public int? Seed { get; init; }

    /// <summary>A script containing this text renders to <c>failed</c> with failure_code <c>rendering_failed</c>.</summary>
    public string FailRenderMarker { get; init; } = "SANDBOX_FAIL_RENDER";

    /// <summary>
    /// A script containing this text is refused at create with 400 <c>invalid_parameter</c> (param
    /// <c>script</c>), as HeyGen's moderation refuses blocked words; nothing is created or charged.
    /// </summary>
    public string RefuseCreateMarker { get; init; } = "SANDBOX_REFUSE_CREATE";

    /// <summary>
    /// The wallet's unit as <c>/v3/users/me</c> reports it: <c>usd</c> (default: an API-key, pay-as-you-go
    /// account's prepaid USD wallet, developers.heygen.com/docs/pricing) or <c>credits</c> (the Enterprise
    /// variant, developers.heygen.com/docs/enterprise-pricing).
    /// </summary>
    public string WalletCurrency { get; init; } = "usd";

    /// <summary>
    /// Wallet balance reported by <c>/v3/users/me</c>, in <see cref="WalletCurrency"/>. Each created video
    /// is charged its price (USD: <see cref="UsdPerSecond"/>; credits: <see cref="CreditsPerVideo"/> plus
    /// <see cref="CreditsPerMinute"/> per minute) on its estimated duration; a create that would overdraw
    /// the wallet gets 402 <c>insufficient_credit</c>.
    /// </summary>
    public double RemainingCredits { get; init; } = 1_000_000;

    /// <summary>
    /// USD per second of speech from <c>POST /v3/voices/speech</c>: "Text-to-Speech — Speech — Starfish $0.000667 / sec"
    /// (developers.heygen.com/docs/pricing, read 2026-12-06).
    /// </summary>
    public double SpeechUsdPerSecond { get; init; } = 0.000667;

    /// <summary>
    /// Credits per second of speech on a credit wallet. HeyGen publishes none; the sandbox charges a second of video's
    /// credits (<see cref="CreditsPerMinute"/> / 60), the reading that costs the client more.
    /// </summary>
    public double? SpeechCreditsPerSecond { get; init; }

    /// <summary>
    /// USD per second of output by <c>engine/resolution</c> (e.g. <c>avatar_iv/1080p</c>), for a USD wallet.
    /// Defaults: the self-serve rates for studio avatars and digital twins (developers.heygen.com/docs/pricing:
    /// Avatar IV and V $0.0667/s at 720p and 1080p, $0.0833/s at 4K; Avatar III $0.0167/s and $0.02/s). An engine or
    /// resolution not listed is priced as <c>avatar_iv/1080p</c>, HeyGen's defaults. A kind in <see cref="UsdPerVideo"/>
    /// is charged that flat price instead.
    /// </summary>
    public IReadOnlyDictionary<string, double> UsdPerSecond { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["avatar_iv/720p"] = 0.0667,
        ["avatar_iv/1080p"] = 0.0667,
        ["avatar_iv/4k"] = 0.0833,
        ["avatar_v/720p"] = 0.0667,
        ["avatar_v/1080p"] = 0.0667,
        ["avatar_v/4k"] = 0.0833,
        ["avatar_iii/720p"] = 0.0167,
        ["avatar_iii/1080p"] = 0.0167,
        ["avatar_iii/4k"] = 0.02,
        // "Video Agent — Prompt to Video $0.0333 / sec" (same page).
        ["video_agent"] = 0.0333,
    };

    /// <summary>
    /// USD per video by request kind, for a USD wallet, where HeyGen bills a flat rate: "Cinematic Avatar video
    /// $7.00 / video … not by duration" (developers.heygen.com/docs/pricing).
    /// </summary>
    public IReadOnlyDictionary<string, double> UsdPerVideo { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["cinematic_avatar"] = 7.00,
    };

    /// <summary>Credits per minute of a video's estimated duration, for a <c>credits</c> wallet.</summary>
    public double CreditsPerMinute { get; init; } = 1;

    /// <summary>A fixed charge per created video, on top of the per-minute one (<c>credits</c> wallet).</summary>
    public double CreditsPerVideo { get; init; }

    /// <summary>
    /// Which <c>avatar_video.success</c> <c>event_data</c> fields are sent. <see cref="SuccessWebhookFields.Documented"/>
    /// (default): <c>video_id</c>, <c>url</c>, <c>callback_id</c>, the only payload HeyGen documents
    /// (docs.heygen.com/docs/using-heygens-webhook-events), so no page link.
    /// </summary>
    public SuccessWebhookFields SuccessWebhookFields { get; init; } = SuccessWebhookFields.Documented;

    /// <summary>
    /// For this long after a create, <c>GET /v3/videos/{video_id}</c> answers 404 <c>video_not_found</c>, as a
    /// read-after-write delay would; whether HeyGen has one is not documented (a client must not take such
    /// a 404 as final). Zero turns it off.
    /// </summary>
    public TimeSpan NotFoundAfterCreate { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// False (default): an error answer frees its <c>Idempotency-Key</c>, so a retry really tries again. True:
    /// 4xx answers are stored and replayed for the key's window too, the other reading of "replay the
    /// original response" (Create Video reference, which names no exception for errors).
    /// </summary>
    public bool IdempotencyReplaysErrors { get; init; }

    /// <summary>
    /// Training status of looks by id (<c>processing</c>, <c>pending_consent</c>, <c>failed</c>): such looks
    /// are private, answer 200 on GET with that status, and refuse creates. Looks not listed are public
    /// (no status).
    /// </summary>
    public IReadOnlyDictionary<string, string> LookStatuses { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// False (default): <c>POST /v3/video-agents</c> ignores the <c>Idempotency-Key</c>, so a repeated create makes a
    /// second session and video. HeyGen's references list the header for <c>POST /v3/videos</c> and none for the agent
    /// create ("Create video with Video Agent"); whether it is honoured there is undocumented, and this is the reading
    /// that would hurt a client. True: the key is honoured there too, scoped to that endpoint.
    /// </summary>
    public bool AgentHonoursIdempotencyKey { get; init; }

    /// <summary>
    /// Null (default): a Video Agent create answers with its <c>video_id</c>, as HeyGen's quick start shows. A value:
    /// the answer's <c>video_id</c> is null ("Nullable in future multi-turn flows", <c>CreateVideoAgentResponse</c>) and
    /// <c>GET /v3/video-agents/sessions/{session_id}</c> names the video only this long after the create.
    /// </summary>
    public TimeSpan? AgentVideoIdAfter { get; init; }

    /// <summary>
    /// Creates (1-based, counted over the server's life on both create routes, successful ones only) whose video is
    /// made and whose answer is then lost: the connection is cut before the response, as a network failure after
    /// HeyGen acted would. Empty by default.
    /// </summary>
    public IReadOnlyCollection<int> DropAnswerToCreates { get; init; } = [];

    /// <summary>
    /// How long after a video completes its caption file (<c>subtitle_url</c>) appears. HeyGen reports captions with
    /// their own events (<c>avatar_video_caption.success|fail</c>), so the file may come later; when is undocumented.
    /// Default 1 s, the reading that hurts a client taking <c>subtitle_url</c> at completion; zero: ready with the video.
    /// </summary>
    public TimeSpan CaptionLag { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Size of the stand-in MP4/WebM files in bytes (at least 1 KiB).</summary>
    public int VideoFileBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// How many times each video file's download is cut off halfway (headers promise the whole file,
    /// half is sent, then the connection is dropped). A client must resume with a Range request.
    /// </summary>
    public int DownloadInterruptions { get; init; }

    /// <summary>Time allowed to a webhook receiver to answer 2xx (HeyGen: 10 seconds).</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the first redelivery of a failed webhook; doubles with each attempt.</summary>
    public TimeSpan WebhookRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between two redeliveries.</summary>
    public TimeSpan WebhookMaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long after the event redeliveries go on (HeyGen: up to 24 hours).</summary>
    public TimeSpan WebhookRetryHorizon { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Fraction (0..1) of webhook deliveries lost without a trace (never sent, never retried).</summary>
    public double WebhookDropRate { get; init; }

    /// <summary>Fraction (0..1) of successful webhook deliveries sent a second time, same event id.</summary>
    public double WebhookDuplicateRate { get; init; }

    /// <summary>The clock for statuses, limits, signed-URL expiry and hangs.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long an <c>Idempotency-Key</c> replays its original response (HeyGen: 24 hours).</summary>
    public TimeSpan IdempotencyWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Lifetime of the presigned file links handed out by GET video.</summary>
    public TimeSpan SignedUrlLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// False (default): a body field that no schema names, where the schema allows such fields (HeyGen's
    /// CreateVideoFromAvatar has no <c>additionalProperties: false</c>), is accepted, counted in
    /// <see cref="SandboxStats.FieldsInNoSchema"/> and logged once. True: it is refused with 400
    /// <c>invalid_parameter</c> naming it, to catch a client's typo.
    /// </summary>
    public bool RefuseFieldsInNoSchema { get; init; }

    /// <summary>
    /// True (default): the video's page (<c>video_page_url</c>, served at <c>/video/{id}</c>) redirects to a sign-in
    /// page, as a page that needs a HeyGen login would. False: it plays for anyone who has the link. HeyGen does not
    /// document which it is (heygen-v3-audit.md §3.15, heygen-v3-audit-2026-12.md N6), so the default is the reading
    /// that would hurt recipients; both can be tried with <c>batchvideo links check</c>.
    /// </summary>
    public bool PageRequiresLogin { get; init; } = true;

    /// <summary>Where the sandbox logs what a real API would do silently (ignored fields); null logs nothing.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Throws when a value is out of range, every problem at once with its setting's name (Sandbox:…), so a bad
    /// set-up fails at start, not mid-run.
    /// </summary>
    internal void Validate()
    {
        var errors = new List<string>();
        NotNegative(errors, RenderTime, nameof(RenderTime));
        NotNegative(errors, HangDuration, nameof(HangDuration));
        Positive(errors, IdempotencyWindow, nameof(IdempotencyWindow));
        Positive(errors, SignedUrlLifetime, nameof(SignedUrlLifetime));
        Check(errors, RequestsPerSecond >= 0 && !double.IsInfinity(RequestsPerSecond), nameof(RequestsPerSecond), "must be a finite number >= 0 (0 = no limit)");
        Check(errors, MaxConcurrentJobs >= 0, nameof(MaxConcurrentJobs), "must not be negative");
        Check(errors, OtherJobs >= 0, nameof(OtherJobs), "must not be negative");
        NotNegative(errors, RenderTimePerVideoSecond, nameof(RenderTimePerVideoSecond));
        Fraction(errors, RenderJitter, nameof(RenderJitter));
        Check(errors, JobLimitRetryAfter is not { } retryAfter || retryAfter >= TimeSpan.Zero, nameof(JobLimitRetryAfter), "must not be negative");
        Fraction(errors, ServerErrorRate, nameof(ServerErrorRate));
        Fraction(errors, RateLimitFaultRate, nameof(RateLimitFaultRate));
        Fraction(errors, HangRate, nameof(HangRate));
        Fraction(errors, WebhookDropRate, nameof(WebhookDropRate));
        Fraction(errors, WebhookDuplicateRate, nameof(WebhookDuplicateRate));
        Positive(errors, WebhookTimeout, nameof(WebhookTimeout));
        Positive(errors, WebhookRetryDelay, nameof(WebhookRetryDelay));
        Positive(errors, WebhookMaxRetryDelay, nameof(WebhookMaxRetryDelay));
        NotNegative(errors, WebhookRetryHorizon, nameof(WebhookRetryHorizon));
        Check(errors, DownloadInterruptions >= 0, nameof(DownloadInterruptions), "must not be negative");
        Check(errors, VideoFileBytes >= 1024, nameof(VideoFileBytes), "must be at least 1024");
        Check(errors, WalletCurrency is "usd" or "credits", nameof(WalletCurrency), "must be usd or credits");
        NotNegative(errors, NotFoundAfterCreate, nameof(NotFoundAfterCreate));
        NotNegative(errors, CaptionLag, nameof(CaptionLag));
        Check(errors, UsdPerSecond is not null && UsdPerSecond.Values.All(rate => rate >= 0), nameof(UsdPerSecond), "rates must be numbers >= 0");
        Check(errors, UsdPerVideo is not null && UsdPerVideo.Values.All(price => price >= 0), nameof(UsdPerVideo), "prices must be numbers >= 0");
        Check(errors, LookStatuses is not null, nameof(LookStatuses), "must be set");
        Check(errors, LookEngines is not null, nameof(LookEngines), "must be set");
        Check(errors, DropAnswerToCreates is not null, nameof(DropAnswerToCreates), "must be set");
        Check(errors, CreditsPerMinute >= 0 && CreditsPerVideo >= 0, nameof(CreditsPerMinute), "and CreditsPerVideo must be numbers >= 0");
        Check(errors, !double.IsNaN(RemainingCredits), nameof(RemainingCredits), "must be a number");
        Check(errors, TimeProvider is not null, nameof(TimeProvider), "must be set");
        Check(errors, !string.IsNullOrEmpty(FailRenderMarker), nameof(FailRenderMarker), "must not be empty");
        Check(errors, !string.IsNullOrEmpty(RefuseCreateMarker), nameof(RefuseCreateMarker), "must not be empty");
        Check(errors, AvatarIds is not null && !AvatarIds.Any(string.IsNullOrWhiteSpace), nameof(AvatarIds), "must be set, without blank ids");
        Check(errors, VoiceIds is not null && !VoiceIds.Any(string.IsNullOrWhiteSpace), nameof(VoiceIds), "must be set, without blank ids");
        Check(errors, ApiKey is not { Length: 0 }, nameof(ApiKey), "must be null (accept any key) or non-empty");
        if (errors.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException("Sandbox", typeof(SandboxOptions), errors);
        }
    }

    private static void Check(List<string> errors, bool valid, string name, string rule)
    {
        if (!valid)
        {
            errors.Add($"Sandbox:{name} {rule}.");
        }
    }

    private static void NotNegative(List<string> errors, TimeSpan value, string name) => Check(errors, value >= TimeSpan.Zero, name, "must not be negative");

    private static void Positive(List<string> errors, TimeSpan value, string name) => Check(errors, value > TimeSpan.Zero, name, "must be positive");

    private static void Fraction(List<string> errors, double value, string name) => Check(errors, value is >= 0 and <= 1, name, "must be between 0 and 1");
}

/// <summary>Which fields a sandbox <c>avatar_video.success</c> delivery carries.</summary>
public enum SuccessWebhookFields
{
    /// <summary><c>video_id</c>, <c>url</c>, <c>callback_id</c>: the documented payload (v1 webhook events page).</summary>
    Documented,

    /// <summary>
    /// Also <c>gif_download_url</c>, <c>video_share_page_url</c>, <c>folder_id</c>, <c>callback_url</c>: a
    /// real (v2-era) delivery observed by a third party (team notes, heygen-v3-contract.md §4.3).
    /// </summary>
    Observed,

    /// <summary>The observed fields plus <c>video_page_url</c>, which one third party claims the v3 events page lists.</summary>
    ObservedWithPageUrl,
}
