using System.IO.Pipelines;
using System.Text.Json;
using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Catalog;
using BatchVideo.Sandbox.Files;

namespace BatchVideo.Sandbox.Videos;

/// <summary>
/// <c>POST /v3/videos</c>, <c>GET /v3/videos/{video_id}</c> and <c>GET /v3/videos</c>. The gate has
/// already authenticated, rolled faults and rate-limited by the time these run.
/// </summary>
internal sealed class VideoEndpoints(
    SandboxOptions options,
    SandboxStats stats,
    VideoStore store,
    KeyedCreates creates,
    SandboxCatalog catalog,
    SignedUrls urls,
    Webhooks.WebhookDispatcher webhooks,
    FieldsInNoSchema fieldsInNoSchema)
{
    private const string ListScope = "videos";

    private static readonly ApiError NotJson = ApiError.InvalidParameter("Content-Type must be application/json.");

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v3/videos", new RequestDelegate(context => CreateAsync(context, agent: false))).WithMetadata(RouteTag.CreateVideo);
        // A Video Agent session renders one video and counts against the same concurrent-job cap (D-LIM).
        routes.MapPost("/v3/video-agents", new RequestDelegate(context => CreateAsync(context, agent: true))).WithMetadata(RouteTag.CreateVideo);
        routes.MapGet("/v3/videos/{video_id}", new RequestDelegate(GetAsync)).WithMetadata(RouteTag.GetVideo);
        routes.MapGet("/v3/video-agents/sessions/{session_id}", new RequestDelegate(GetSessionAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/videos", new RequestDelegate(ListAsync)).WithMetadata(RouteTag.Api);
    }

    // A key's scope is its endpoint (Create Video reference): the same key on the other create route is another key.
    // The agent create ignores it unless told otherwise: its reference documents no such header.
    private Task CreateAsync(HttpContext context, bool agent) => creates.HandleAsync(
        context,
        key => agent && !options.AgentHonoursIdempotencyKey ? null : ScopedKey(key, agent),
        (http, key) => CreateVideoAsync(http, key, agent));

    /// <summary>Validation, credit, job limit and the create itself; the success body, or the error to send.</summary>
    private async Task<(ApiError? Error, int? RetryAfter, byte[]? Response)> CreateVideoAsync(HttpContext context, string? key, bool agent)
    {
        if (!context.Request.HasJsonContentType())
        {
            return (NotJson, null, null);
        }

        var reader = context.Request.BodyReader;
        var body = await ReadToEndAsync(reader, context.RequestAborted);
        ApiError? error;
        CreateVideoRequest? request;
        IReadOnlyList<string> ignored = [];
        try
        {
            error = agent
                ? PromptVideoValidator.TryParseAgent(body.Buffer, out request)
                : CreateVideoValidator.TryParse(body.Buffer, out request, out ignored);
        }
        finally
        {
            reader.AdvanceTo(body.Buffer.End);
        }

        if (error is not null)
        {
            return (error, null, null);
        }

        error = fieldsInNoSchema.Check(ignored);
        if (error is not null)
        {
            return (error, null, null);
        }

        (error, request) = CheckCatalog(request!);
        if (error is not null)
        {
            return (error, null, null);
        }

        if (request.Script.Contains(options.RefuseCreateMarker, StringComparison.Ordinal))
        {
            return (ApiError.InvalidParameter("The script contains words that are not allowed.", "script"), null, null);
        }

        var result = store.TryCreate(request, key);
        switch (result.Outcome)
        {
            case CreateOutcome.InsufficientCredit:
                return (InsufficientCredit(options, result), null, null);
            case CreateOutcome.JobLimitReached:
                stats.CountRateLimited();
                return (ApiError.ConcurrentJobLimit, result.RetryAfterSeconds, null);
            case CreateOutcome.Created:
            default:
                var video = result.Video!;
                webhooks.OnCreated(video);
                // With AgentVideoIdAfter the agent's session has no video to name yet (CLI status "thinking").
                return (null, null, CreatedBody(video, agent, named: options.AgentVideoIdAfter is null));
        }
    }

    /// <summary>HeyGen's documented wording: "Your account has 5 credits but this video requires 10 credits."</summary>
    internal static ApiError InsufficientCredit(SandboxOptions options, CreateResult result) => ApiError.InsufficientCredit with
    {
        Message = options.WalletCurrency == "usd"
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Your account has ${result.Remaining:0.00} but this video requires ${result.Cost:0.00}.")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Your account has {result.Remaining:0.##} credits but this video requires {result.Cost:0.##} credits."),
    };

    /// <summary>The answer to the create that made <paramref name="video"/>: the same bytes on every replay of its key.</summary>
    internal static byte[] CreatedBody(SandboxVideo video, bool agent, bool named = true)
    {
        if (agent)
        {
            // CreateVideoAgentResponse: a session resource with the video to poll ("generating" at first), or
            // ("thinking") none named yet.
            var session = new DataEnvelope<CreatedAgentSession>(new CreatedAgentSession(
                SessionIdOf(video), named ? "generating" : "thinking", named ? video.Id : null, video.CreatedAt.ToUnixTimeSeconds()));
            return JsonSerializer.SerializeToUtf8Bytes(session, SandboxJson.Wire.DataEnvelopeCreatedAgentSession);
        }

        var created = new DataEnvelope<CreatedVideo>(new CreatedVideo(video.Id, "waiting", video.OutputFormat));
        return JsonSerializer.SerializeToUtf8Bytes(created, SandboxJson.Wire.DataEnvelopeCreatedVideo);
    }

    /// <summary>The key an <c>Idempotency-Key</c> is stored under: its scope is its endpoint (Create Video reference).</summary>
    internal static string ScopedKey(string key, bool agent) => agent ? "video-agents " + key : key;

    /// <summary>
    /// The looks and voice a create names must be in the account's catalogue and usable: each look of a cinematic
    /// shot (no voice), the avatar's look and voice (its default voice when none), the agent's only when given
    /// (otherwise the agent picks: the catalogue's first look and its default voice).
    /// </summary>
    private (ApiError? Error, CreateVideoRequest Request) CheckCatalog(CreateVideoRequest request)
    {
        var agentPicks = request.Kind == PromptVideoValidator.Agent && request.AvatarId.Length == 0;
        var looks = agentPicks ? [catalog.Looks[0].Id] : request.LookIds;
        Catalog.AvatarLook? first = null;
        foreach (var id in looks)
        {
            if (!catalog.TryGetLook(id, out var look))
            {
                return (ApiError.NotFound("avatar_not_found", $"Avatar look {id} not found.", "avatar_id"), request);
            }

            if (look.Status is { } status && status != "completed")
            {
                return (ApiError.InvalidParameter($"Avatar look {look.Id} is {status} and cannot be used yet.", "avatar_id"), request);
            }
            // An avatar video renders with its engine (HeyGen's default avatar_iv), which its look must list.
            var engine = request.Engine ?? "avatar_iv";
            if (request.Kind != PromptVideoValidator.Cinematic && request.Kind != PromptVideoValidator.Agent
                && look.SupportedApiEngines is { Count: > 0 } engines && !engines.Contains(engine, StringComparer.Ordinal))
            {
                return (ApiError.InvalidParameter($"Avatar look {look.Id} does not support engine {engine}.", "avatar_id"), request);
            }

            first ??= look;
        }

        if (request.Kind == PromptVideoValidator.Cinematic)
        {
            return (null, request with { VoiceId = "" });
        }
        // Without voice_id the look's default voice speaks (Create Video reference; heygen-cli gen/video.go).
        var voiceId = request.VoiceId ?? first!.DefaultVoiceId;
        if (voiceId is null)
        {
            return (ApiError.InvalidParameter($"'voice_id' is required: avatar look {first!.Id} has no default voice.", "voice_id"), request);
        }

        if (!catalog.TryGetVoice(voiceId, out _))
        {
            return (ApiError.NotFound("voice_not_found", $"Voice {voiceId} not found.", "voice_id"), request);
        }

        return (null, request with { AvatarId = first!.Id, VoiceId = voiceId, LookIds = [first.Id] });
    }

    /// <summary>Buffers the whole body (Kestrel's MaxRequestBodySize bounds it) without copying it.</summary>
    internal static async Task<ReadResult> ReadToEndAsync(PipeReader reader, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            if (result.IsCompleted || result.IsCanceled)
            {
                return result;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private Task GetAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["video_id"]!;
        var now = options.TimeProvider.GetUtcNow();
        // A video younger than the read-after-write window is not visible yet (SandboxOptions.NotFoundAfterCreate),
        // unless it already finished: its webhook may have gone out, and a client may follow it with a GET.
        if (!store.TryGet(id, out var video) || (now - video.CreatedAt < options.NotFoundAfterCreate && now < video.FinishesAt))
        {
            return ApiResponses.WriteErrorAsync(context, ApiError.NotFound("video_not_found", $"Video {id} not found", "video_id"));
        }

        var detail = VideoLifecycle.Describe(video, now, urls, options.CaptionLag);
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new DataEnvelope<VideoDetail>(detail), SandboxJson.Wire.DataEnvelopeVideoDetail);
    }

    private static string SessionIdOf(SandboxVideo video) => "sess_" + video.Id[..16];

    /// <summary>
    /// <c>GET /v3/video-agents/sessions/{session_id}</c> (<c>GetSessionResponse</c>, the fields a client follows): the
    /// session's video once <see cref="SandboxOptions.AgentVideoIdAfter"/> has passed, its status following the video's.
    /// </summary>
    private Task GetSessionAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["session_id"]!;
        var video = store.Snapshot().FirstOrDefault(v => v.Kind == PromptVideoValidator.Agent && SessionIdOf(v) == id);
        if (video is null)
        {
            return ApiResponses.WriteErrorAsync(context, ApiError.NotFound("not_found", $"Session {id} not found", null));
        }

        var now = options.TimeProvider.GetUtcNow();
        var named = now - video.CreatedAt >= (options.AgentVideoIdAfter ?? TimeSpan.Zero);
        var status = !named ? "processing" : now < video.FinishesAt ? "generating" : video.FailsRendering ? "failed" : "completed";
        var session = new CreatedAgentSession(id, status, named ? video.Id : null, video.CreatedAt.ToUnixTimeSeconds());
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new DataEnvelope<CreatedAgentSession>(session), SandboxJson.Wire.DataEnvelopeCreatedAgentSession);
    }

    private Task ListAsync(HttpContext context)
    {
        var tokenError = Paging.TryReadToken(context, ListScope, out var from);
        var error = Paging.TryReadLimit(context, defaultLimit: 10, maxLimit: 100, out var limit) ?? tokenError;
        if (error is not null)
        {
            return ApiResponses.WriteErrorAsync(context, error);
        }

        var query = context.Request.Query;
        var (videos, next) = store.ListNewestFirst(from, query["title"].ToString(), query["folder_id"].ToString(), limit);
        var now = options.TimeProvider.GetUtcNow();
        var page = new ListPage<VideoDetail>(
            [.. videos.Select(video => VideoLifecycle.Describe(video, now, urls, options.CaptionLag))],
            HasMore: next is not null,
            NextToken: next is { } position ? Paging.Encode(ListScope, position) : null);
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, page, SandboxJson.Wire.ListPageVideoDetail);
    }
}
