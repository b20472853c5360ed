using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using BatchVideo.Sandbox.State;

namespace BatchVideo.Sandbox.Webhooks;

/// <summary>A registered endpoint. Its secret changes only by rotation, which invalidates the old one at once.</summary>
internal sealed record WebhookEndpoint(
    string Id,
    string Url,
    IReadOnlyList<string>? Events,
    string Status,
    DateTimeOffset CreatedAt,
    string Secret,
    string? EntityId)
{
    public bool Wants(string eventType) => Status == "enabled" && (Events is null || Events.Contains(eventType));
}

/// <summary>One event and what it carried; the same id on every delivery and redelivery.</summary>
internal sealed record WebhookEvent(string Id, string EventType, string EntityId, byte[] Body, JsonElement EventData, DateTimeOffset CreatedAt);

/// <summary>Registered endpoints and the events raised so far, in memory (and in the journal, when there is one).</summary>
internal sealed class WebhookRegistry(TimeProvider time, SandboxJournal? journal = null)
{
    private readonly Lock _lock = new();
    private readonly List<WebhookEndpoint> _endpoints = [];
    private readonly List<WebhookEvent> _events = [];

    public WebhookEndpoint Add(string url, IReadOnlyList<string>? events, string? entityId)
    {
        var endpoint = new WebhookEndpoint(Guid.NewGuid().ToString("N"), url, events, "enabled", time.GetUtcNow(), NewSecret(), entityId);
        lock (_lock)
        {
            _endpoints.Add(endpoint);
            journal?.Append(new JournalLine { Endpoint = endpoint });
        }

        return endpoint;
    }

    public IReadOnlyList<WebhookEndpoint> Endpoints()
    {
        lock (_lock)
            return [.. _endpoints];
    }

    public WebhookEndpoint? Find(string id)
    {
        lock (_lock)
            return _endpoints.Find(e => e.Id == id);
    }

    /// <summary>Applies <paramref name="change"/> to the endpoint; null when there is none.</summary>
    public WebhookEndpoint? Update(string id, Func<WebhookEndpoint, WebhookEndpoint> change)
    {
        lock (_lock)
        {
            var index = _endpoints.FindIndex(e => e.Id == id);
            if (index < 0)
                return null;
            _endpoints[index] = change(_endpoints[index]);
            journal?.Append(new JournalLine { Endpoint = _endpoints[index] });
            return _endpoints[index];
        }
    }

    public WebhookEndpoint? Rotate(string id) => Update(id, e => e with { Secret = NewSecret() });

    public bool Remove(string id)
    {
        lock (_lock)
        {
            if (_endpoints.RemoveAll(e => e.Id == id) == 0)
                return false;
            journal?.Append(new JournalLine { EndpointRemoved = id });
            return true;
        }
    }

    public void Record(WebhookEvent raised)
    {
        lock (_lock)
        {
            _events.Add(raised);
            journal?.Append(new JournalLine { Event = raised });
        }
    }

    /// <summary>Puts back an endpoint as an earlier process of this account left it (the last state of its id wins).</summary>
    public void RestoreEndpoint(WebhookEndpoint endpoint)
    {
        lock (_lock)
        {
            var index = _endpoints.FindIndex(e => e.Id == endpoint.Id);
            if (index < 0)
                _endpoints.Add(endpoint);
            else
                _endpoints[index] = endpoint;
        }
    }

    public void RestoreRemoval(string id)
    {
        lock (_lock)
            _endpoints.RemoveAll(e => e.Id == id);
    }

    public void RestoreEvent(WebhookEvent raised)
    {
        lock (_lock)
            _events.Add(raised);
    }

    /// <summary>Events newest first, filtered.</summary>
    public IReadOnlyList<WebhookEvent> Events(string? eventType, string? entityId)
    {
        lock (_lock)
        {
            return [.. Enumerable.Reverse(_events)
                .Where(e => string.IsNullOrEmpty(eventType) || e.EventType == eventType)
                .Where(e => string.IsNullOrEmpty(entityId) || e.EntityId == entityId)];
        }
    }

    /// <summary>Shaped like real secrets: <c>whsec_</c> and a base64-looking string.</summary>
    private static string NewSecret() => "whsec_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
