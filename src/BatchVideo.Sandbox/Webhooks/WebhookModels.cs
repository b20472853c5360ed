using System.Text.Json;

namespace BatchVideo.Sandbox.Webhooks;

/// <summary>WebhookEndpointResponse; <c>secret</c> is set only in the create answer.</summary>
internal sealed record WebhookEndpointResponse(
    string EndpointId,
    string Url,
    IReadOnlyList<string>? Events,
    string Status,
    string CreatedAt,
    string? Secret);

/// <summary>RotateSecretResponseData.</summary>
internal sealed record RotateSecretResponse(string EndpointId, string Secret);

/// <summary>WebhookEventTypeItem.</summary>
internal sealed record WebhookEventTypeItem(string EventType, string Description);

/// <summary>WebhookEventResponse: one event as the events listing shows it.</summary>
internal sealed record WebhookEventResponse(string EventId, string EventType, JsonElement EventData, string CreatedAt);

/// <summary>The body HeyGen posts: <c>{"event_type": ..., "event_data": {...}}</c>.</summary>
internal sealed record WebhookPayload<T>(string EventType, T EventData);

