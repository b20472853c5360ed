using System.Text.Json;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Catalog;
using BatchVideo.Sandbox.Videos;

namespace BatchVideo.Sandbox.Templates;

/// <summary>Template summary of <c>GET /v3/templates</c> (heygen-cli gen/template.go <c>TemplateList</c>); times in Unix seconds.</summary>
internal sealed record TemplateSummaryItem(string Id, string Name, string? AspectRatio, string? ThumbnailUrl, long? CreatedAt, long? UpdatedAt);

/// <summary>
/// <c>GET /v3/templates</c>, <c>GET /v3/templates/{template_id}</c> and <c>POST /v3/templates/{template_id}</c>
/// (generate: a paid create like <c>POST /v3/videos</c>, under its key, against the job cap and the wallet), plus the
/// test switch <c>POST /sandbox/templates/{template_id}/save</c>, which does what a save in HeyGen's editor does.
/// </summary>
internal sealed class TemplateEndpoints(
    SandboxOptions options,
    SandboxStats stats,
    SandboxTemplates templates,
    SandboxCatalog catalog,
    VideoStore store,
    KeyedCreates creates,
    Webhooks.WebhookDispatcher webhooks,
    FieldsInNoSchema fieldsInNoSchema)
{
    private const string ListScope = "templates";

    // 2026-11-01T00:00:00Z, the catalogue's creation time.
    private const long CreatedAt = 1_793_491_200;

    private static readonly ApiError NotJson = ApiError.InvalidParameter("Content-Type must be application/json.");

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v3/templates", new RequestDelegate(ListAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/templates/{template_id}", new RequestDelegate(GetAsync)).WithMetadata(RouteTag.Api);
        routes.MapPost("/v3/templates/{template_id}", new RequestDelegate(GenerateAsync)).WithMetadata(RouteTag.CreateVideo);
        // Not HeyGen's API: the sandbox's own switch, so it is outside /v3 (no key, no faults, no rate limit).
        routes.MapPost("/sandbox/templates/{template_id}/save", new RequestDelegate(SaveAsync)).WithMetadata(RouteTag.Public);
    }

    /// <summary>
    /// The key a generate's <c>Idempotency-Key</c> is stored under: "Scope is per-endpoint and per-resource"
    /// (Create Video reference), so the same key on another template is another key.
    /// </summary>
    internal static string ScopedKey(string key, string templateId) => $"templates/{templateId} {key}";

    /// <summary>
    /// The answer to the generate that made <paramref name="video"/>: the video resource as it was then ("Idempotent
    /// replays return the original creation-time snapshot"), so every replay of its key gets the same bytes.
    /// </summary>
    internal static byte[] CreatedBody(SandboxVideo video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var detail = new VideoDetail(
            video.Id, video.Title, "pending", video.CreatedAt.ToUnixTimeSeconds(), CompletedAt: null, VideoUrl: null, ThumbnailUrl: null,
            GifUrl: null, CaptionedVideoUrl: null, SubtitleUrl: null, Duration: null, FolderId: null, OutputLanguage: null,
            FailureCode: null, FailureMessage: null, VideoPageUrl: null);
        return JsonSerializer.SerializeToUtf8Bytes(new DataEnvelope<VideoDetail>(detail), SandboxJson.Wire.DataEnvelopeVideoDetail);
    }

    private Task ListAsync(HttpContext context)
    {
        var tokenError = Paging.TryReadToken(context, ListScope, out var from);
        var error = Paging.TryReadLimit(context, defaultLimit: 10, maxLimit: 100, out var limit) ?? tokenError;
        if (error is not null)
        {
            return ApiResponses.WriteErrorAsync(context, error);
        }

        var start = Math.Min(from ?? 0, templates.All.Count);
        var page = templates.All.Skip(start).Take(limit).Select(Summary).ToList();
        var next = start + page.Count < templates.All.Count ? Paging.Encode(ListScope, start + page.Count) : null;
        return ApiResponses.WriteJsonAsync(
            context, StatusCodes.Status200OK, new ListPage<TemplateSummaryItem>(page, next is not null, next), SandboxJson.Wire.ListPageTemplateSummaryItem);
    }

    private TemplateSummaryItem Summary(SandboxTemplate template) =>
        new(template.Id, template.Name, template.AspectRatio, ThumbnailOf(template), CreatedAt, templates.RevisionOf(template.Id).UpdatedAt);

    private static string ThumbnailOf(SandboxTemplate template) => $"https://files.sandbox.invalid/templates/{template.Id}.jpg";

    private Task GetAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["template_id"]!;
        if (!templates.TryGet(id, out var template))
        {
            return ApiResponses.WriteErrorAsync(context, TemplateNotFound(id));
        }

        var (revision, updatedAt) = templates.RevisionOf(id);
        var variables = new JsonObject();
        foreach (var variable in template.Variables)
        {
            variables[variable.Name] = SandboxTemplate.ToJson(variable);
        }

        var scenes = new JsonArray();
        foreach (var scene in template.Scenes)
        {
            var used = new JsonArray();
            foreach (var name in scene.VariableNames)
            {
                used.Add(new JsonObject { ["name"] = name, ["variable_type"] = template.Variable(name)!.Type });
            }

            scenes.Add(new JsonObject { ["scene_id"] = scene.SceneId, ["script"] = scene.Script, ["variables"] = used });
        }

        // TemplateGet's fields, plus "revision" (not in the CLI's schema: the sandbox serves it, counting saves).
        var data = new JsonObject
        {
            ["id"] = template.Id,
            ["name"] = template.Name,
            ["aspect_ratio"] = template.AspectRatio,
            ["thumbnail_url"] = ThumbnailOf(template),
            ["created_at"] = CreatedAt,
            ["updated_at"] = updatedAt,
            ["revision"] = revision,
            ["scene_ids"] = new JsonArray([.. template.Scenes.Select(s => (JsonNode?)s.SceneId)]),
            ["scenes"] = scenes,
            ["variables"] = variables,
        };
        var body = System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["data"] = data }.ToJsonString());
        return ApiResponses.WriteBytesAsync(context, StatusCodes.Status200OK, body);
    }

    private Task GenerateAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["template_id"]!;
        return creates.HandleAsync(context, key => ScopedKey(key, id), (http, key) => GenerateVideoAsync(http, key, id));
    }

    /// <summary>Validation, credit, job limit and the create itself, as for <c>POST /v3/videos</c>.</summary>
    private async Task<(ApiError? Error, int? RetryAfter, byte[]? Response)> GenerateVideoAsync(HttpContext context, string? key, string id)
    {
        if (!templates.TryGet(id, out var template))
        {
            return (TemplateNotFound(id), null, null);
        }

        if (!context.Request.HasJsonContentType())
        {
            return (NotJson, null, null);
        }

        var reader = context.Request.BodyReader;
        var body = await VideoEndpoints.ReadToEndAsync(reader, context.RequestAborted);
        ApiError? error;
        CreateVideoRequest? request;
        IReadOnlyList<string> ignored;
        try
        {
            error = TemplateGenerator.TryParse(body.Buffer, template, catalog, out request, out ignored);
        }
        finally
        {
            reader.AdvanceTo(body.Buffer.End);
        }

        error ??= fieldsInNoSchema.Check(ignored);
        if (error is not null)
        {
            return (error, null, null);
        }

        if (request!.Script.Contains(options.RefuseCreateMarker, StringComparison.Ordinal))
        {
            return (ApiError.InvalidParameter("The script contains words that are not allowed.", "variables"), null, null);
        }

        var result = store.TryCreate(request, key);
        switch (result.Outcome)
        {
            case CreateOutcome.InsufficientCredit:
                return (VideoEndpoints.InsufficientCredit(options, result), null, null);
            case CreateOutcome.JobLimitReached:
                stats.CountRateLimited();
                return (ApiError.ConcurrentJobLimit, result.RetryAfterSeconds, null);
            case CreateOutcome.Created:
            default:
                webhooks.OnCreated(result.Video!);
                return (null, null, CreatedBody(result.Video!));
        }
    }

    private Task SaveAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["template_id"]!;
        if (!templates.TryGet(id, out _))
        {
            return ApiResponses.WriteErrorAsync(context, TemplateNotFound(id));
        }

        var save = templates.Save(id);
        var body = new JsonObject { ["data"] = new JsonObject { ["id"] = id, ["revision"] = save.Revision, ["updated_at"] = save.UpdatedAt } };
        return ApiResponses.WriteBytesAsync(context, StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    // HeyGen's 404 for an unknown template is not documented; "not_found" is the OpenAPI document's generic code.
    private static ApiError TemplateNotFound(string id) => ApiError.NotFound("not_found", $"Template {id} not found.", "template_id");
}
