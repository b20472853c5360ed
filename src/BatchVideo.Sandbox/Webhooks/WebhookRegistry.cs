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
    private readonly Lock gate = new();
    private readonly List<WebhookEndpoint> endpoints = [];
    private readonly List<WebhookEvent> events = [];

    public WebhookEndpoint Add(string url, IReadOnlyList<string>? events, string? entityId)
    {
        var endpoint = new WebhookEndpoint(Guid.NewGuid().ToString("N"), url, events, "enabled", time.GetUtcNow(), NewSecret(), entityId);
        lock (gate)
        {
            endpoints.Add(endpoint);
            journal?.Append(new JournalLine { Endpoint = endpoint });
        }

        return endpoint;
    }

    public IReadOnlyList<WebhookEndpoint> Endpoints()
    {
        lock (gate)
        {
            return [.. endpoints];
        }
    }

    public WebhookEndpoint? Find(string id)
    {
        lock (gate)
        {
            return endpoints.Find(e => e.Id == id);
        }
    }

    /// <summary>Applies <paramref name="change"/> to the endpoint; null when there is none.</summary>
    public WebhookEndpoint? Update(string id, Func<WebhookEndpoint, WebhookEndpoint> change)
    {
        lock (gate)
        {
            var index = endpoints.FindIndex(e => e.Id == id);
            if (index < 0)
            {
                return null;
            }

            endpoints[index] = change(endpoints[index]);
            journal?.Append(new JournalLine { Endpoint = endpoints[index] });
            return endpoints[index];
        }
    }

    public WebhookEndpoint? Rotate(string id) => Update(id, e => e with { Secret = NewSecret() });

    public bool Remove(string id)
    {
        lock (gate)
        {
            if (endpoints.RemoveAll(e => e.Id == id) == 0)
            {
                return false;
            }

            journal?.Append(new JournalLine { EndpointRemoved = id });
            return true;
        }
    }

    public void Record(WebhookEvent raised)
    {
        lock (gate)
        {
            events.Add(raised);
            journal?.Append(new JournalLine { Event = raised });
        }
    }

    /// <summary>Puts back an endpoint as an earlier process of this account left it (the last state of its id wins).</summary>
    public void RestoreEndpoint(WebhookEndpoint endpoint)
    {
        lock (gate)
        {
            var index = endpoints.FindIndex(e => e.Id == endpoint.Id);
            if (index < 0)
            {
                endpoints.Add(endpoint);
            }
            else
            {
                endpoints[index] = endpoint;
            }
        }
    }

    public void RestoreRemoval(string id)
    {
        lock (gate)
        {
            endpoints.RemoveAll(e => e.Id == id);
        }
    }

    public void RestoreEvent(WebhookEvent raised)
    {
        lock (gate)
        {
            events.Add(raised);
        }
    }

    /// <summary>Events newest first, filtered.</summary>
    public IReadOnlyList<WebhookEvent> Events(string? eventType, string? entityId)
    {
        lock (gate)
        {
            return [.. Enumerable.Reverse(events)
                .Where(e => string.IsNullOrEmpty(eventType) || e.EventType == eventType)
                .Where(e => string.IsNullOrEmpty(entityId) || e.EntityId == entityId)];
        }
    }

    /// <summary>Shaped like real secrets: <c>whsec_</c> and a base64-looking string.</summary>
    private static string NewSecret() => "whsec_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
