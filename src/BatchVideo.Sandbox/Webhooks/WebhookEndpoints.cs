using System.Globalization;
using System.Text.Json;
using BatchVideo.Sandbox.Api;

namespace BatchVideo.Sandbox.Webhooks;

/// <summary>
/// <c>/v3/webhooks/endpoints</c> (create, list, update, delete, rotate-secret), <c>/v3/webhooks/event-types</c>
/// and <c>/v3/webhooks/events</c>. Bodies are checked as strictly as the schemas say
/// (<c>additionalProperties: false</c>); unlike HeyGen, plain http URLs are accepted so tests can listen on loopback.
/// </summary>
internal sealed class WebhookEndpoints(WebhookRegistry registry)
{
    private const string EndpointsScope = "webhook-endpoints";
    private const string EventsScope = "webhook-events";

    private static readonly ApiError EndpointNotFound = ApiError.NotFound("not_found", "Webhook endpoint not found.");
    private static readonly ApiError NotJson = ApiError.InvalidParameter("The request body must be a JSON object.");
    private static readonly ApiError NothingToUpdate = ApiError.InvalidParameter("At least one of 'url' or 'events' must be provided.");

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v3/webhooks/endpoints", new RequestDelegate(CreateAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/webhooks/endpoints", new RequestDelegate(ListAsync)).WithMetadata(RouteTag.Api);
        routes.MapPatch("/v3/webhooks/endpoints/{endpoint_id}", new RequestDelegate(UpdateAsync)).WithMetadata(RouteTag.Api);
        routes.MapDelete("/v3/webhooks/endpoints/{endpoint_id}", new RequestDelegate(DeleteAsync)).WithMetadata(RouteTag.Api);
        routes.MapPost("/v3/webhooks/endpoints/{endpoint_id}/rotate-secret", new RequestDelegate(RotateAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/webhooks/event-types", new RequestDelegate(EventTypesAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/webhooks/events", new RequestDelegate(EventsAsync)).WithMetadata(RouteTag.Api);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var (body, error) = await ReadBodyAsync(context, ["url", "events", "entity_id"]);
        if (error is null && !body!.Value.TryGetProperty("url", out _))
        {
            error = ApiError.InvalidParameter("'url' is required.", "url");
        }

        string? url = null;
        IReadOnlyList<string>? events = null;
        string? entityId = null;
        error ??= ReadUrl(body!.Value, out url) ?? ReadEvents(body.Value, out events) ?? ReadEntityId(body.Value, out entityId);
        if (error is not null)
        {
            await ApiResponses.WriteErrorAsync(context, error);
            return;
        }

        var endpoint = registry.Add(url!, events, entityId);
        await WriteEndpointAsync(context, endpoint, withSecret: true);
    }

    private Task ListAsync(HttpContext context)
    {
        var tokenError = Paging.TryReadToken(context, EndpointsScope, out var from);
        var error = Paging.TryReadLimit(context, defaultLimit: 10, maxLimit: 100, out var limit) ?? tokenError;
        if (error is not null)
        {
            return ApiResponses.WriteErrorAsync(context, error);
        }

        var page = Page(registry.Endpoints(), from ?? 0, limit, EndpointsScope, e => Describe(e, withSecret: false));
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, page, SandboxJson.Wire.ListPageWebhookEndpointResponse);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["endpoint_id"]!;
        var (body, error) = await ReadBodyAsync(context, ["url", "events"]);
        string? url = null;
        IReadOnlyList<string>? events = null;
        var hasUrl = false;
        var hasEvents = false;
        if (error is null)
        {
            hasUrl = body!.Value.TryGetProperty("url", out var u) && u.ValueKind != JsonValueKind.Null;
            hasEvents = body.Value.TryGetProperty("events", out var ev) && ev.ValueKind != JsonValueKind.Null;
            error = !hasUrl && !hasEvents ? NothingToUpdate
                : (hasUrl ? ReadUrl(body.Value, out url) : null) ?? (hasEvents ? ReadEvents(body.Value, out events) : null);
        }

        if (error is not null)
        {
            await ApiResponses.WriteErrorAsync(context, error);
            return;
        }

        // The events list is replaced whole, as the specification says.
        var updated = registry.Update(id, e => e with { Url = hasUrl ? url! : e.Url, Events = hasEvents ? events : e.Events });
        if (updated is null)
        {
            await ApiResponses.WriteErrorAsync(context, EndpointNotFound);
        }
        else
        {
            await WriteEndpointAsync(context, updated, withSecret: false);
        }
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["endpoint_id"]!;
        return registry.Remove(id)
            ? ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new DataEnvelope<DeletedEndpoint>(new DeletedEndpoint(id, Deleted: true)), SandboxJson.Wire.DataEnvelopeDeletedEndpoint)
            : ApiResponses.WriteErrorAsync(context, EndpointNotFound);
    }

    private Task RotateAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["endpoint_id"]!;
        var rotated = registry.Rotate(id);
        return rotated is null
            ? ApiResponses.WriteErrorAsync(context, EndpointNotFound)
            : ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new DataEnvelope<RotateSecretResponse>(new RotateSecretResponse(rotated.Id, rotated.Secret)), SandboxJson.Wire.DataEnvelopeRotateSecretResponse);
    }

    private static Task EventTypesAsync(HttpContext context) =>
        ApiResponses.WriteJsonAsync(
            context,
            StatusCodes.Status200OK,
            new ListPage<WebhookEventTypeItem>(WebhookEventTypes.All, HasMore: false, NextToken: null),
            SandboxJson.Wire.ListPageWebhookEventTypeItem);

    private Task EventsAsync(HttpContext context)
    {
        var eventType = context.Request.Query["event_type"].ToString();
        var entityId = context.Request.Query["entity_id"].ToString();
        var tokenError = Paging.TryReadToken(context, EventsScope, out var from);
        var error = Paging.TryReadLimit(context, defaultLimit: 10, maxLimit: 100, out var limit)
            ?? tokenError
            ?? (eventType.Length == 0 || WebhookEventTypes.IsKnown(eventType) ? null : ApiError.InvalidParameter($"'event_type' {eventType} is not a webhook event type.", "event_type"));
        if (error is not null)
        {
            return ApiResponses.WriteErrorAsync(context, error);
        }

        var page = Page(registry.Events(eventType, entityId), from ?? 0, limit, EventsScope, e => new WebhookEventResponse(e.Id, e.EventType, e.EventData, Iso(e.CreatedAt)));
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, page, SandboxJson.Wire.ListPageWebhookEventResponse);
    }

    private static Task WriteEndpointAsync(HttpContext context, WebhookEndpoint endpoint, bool withSecret) =>
        ApiResponses.WriteJsonAsync(
            context,
            StatusCodes.Status200OK,
            new DataEnvelope<WebhookEndpointResponse>(Describe(endpoint, withSecret)),
            SandboxJson.Wire.DataEnvelopeWebhookEndpointResponse);

    private static WebhookEndpointResponse Describe(WebhookEndpoint e, bool withSecret) =>
        new(e.Id, e.Url, e.Events, e.Status, Iso(e.CreatedAt), withSecret ? e.Secret : null);

    internal static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<(JsonElement? Body, ApiError? Error)> ReadBodyAsync(HttpContext context, string[] allowed)
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, ApiError.InvalidParameter("Content-Type must be application/json."));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, NotJson);
        }

        using (document)
        {
            var root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, NotJson);
            }

            foreach (var property in root.EnumerateObject())
            {
                if (Array.IndexOf(allowed, property.Name) < 0)
                {
                    return (null, ApiError.InvalidParameter($"Unknown property '{property.Name}'.", property.Name));
                }
            }

            return (root, null);
        }
    }

    private static ApiError? ReadUrl(JsonElement body, out string? url)
    {
        url = null;
        if (!body.TryGetProperty("url", out var value) || value.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(value.GetString(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            return ApiError.InvalidParameter("'url' must be an absolute https URL (the sandbox also accepts http).", "url");
        }

        url = parsed.AbsoluteUri;
        return null;
    }

    private static ApiError? ReadEvents(JsonElement body, out IReadOnlyList<string>? events)
    {
        events = null;
        if (!body.TryGetProperty("events", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            return ApiError.InvalidParameter("'events' must be a non-empty array of event types, or null for all events.", "events");
        }

        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !WebhookEventTypes.IsKnown(item.GetString()!))
            {
                return ApiError.InvalidParameter($"'events' contains {item.GetRawText()}, which is not a webhook event type.", "events");
            }

            if (!list.Contains(item.GetString()!))
            {
                list.Add(item.GetString()!);
            }
        }

        events = list;
        return null;
    }

    private static ApiError? ReadEntityId(JsonElement body, out string? entityId)
    {
        entityId = null;
        if (!body.TryGetProperty("entity_id", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return ApiError.InvalidParameter("'entity_id' must be a string or null.", "entity_id");
        }

        entityId = value.GetString();
        return null;
    }

    private static ListPage<TOut> Page<TIn, TOut>(IReadOnlyList<TIn> items, int from, int limit, string scope, Func<TIn, TOut> map)
    {
        var page = items.Skip(from).Take(limit).Select(map).ToList();
        var next = from + page.Count;
        var hasMore = next < items.Count;
        return new ListPage<TOut>(page, hasMore, hasMore ? Paging.Encode(scope, next) : null);
    }
}

/// <summary>The <c>data</c> of a delete answer.</summary>
internal sealed record DeletedEndpoint(string EndpointId, bool Deleted);
