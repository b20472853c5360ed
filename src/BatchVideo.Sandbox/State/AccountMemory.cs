using System.Security.Cryptography;
using BatchVideo.Sandbox.Videos;
using BatchVideo.Sandbox.Webhooks;

namespace BatchVideo.Sandbox.State;

/// <summary>
/// Puts a sandbox account back as its journal left it: videos (rendering on the wall clock, so one that
/// was rendering when the last process stopped is done now if its time has passed), the wallet, the
/// idempotency keys of the creates it answered, webhook endpoints and the events raised, and the secret
/// its file links are signed with.
/// </summary>
internal static class AccountMemory
{
    /// <summary>The secret the account signs file links with: the journal's, or a new one it records.</summary>
    public static byte[] LinkSecret(SandboxJournal? journal)
    {
        if (journal?.Lines.LastOrDefault(l => l.LinkSecret is not null) is { LinkSecret: { } kept })
        {
            return Convert.FromHexString(kept);
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        journal?.Append(new JournalLine { LinkSecret = Convert.ToHexStringLower(secret) });
        return secret;
    }

    public static void Restore(
        SandboxJournal journal, SandboxOptions options, VideoStore store, IdempotencyStore keys, WebhookRegistry registry, WebhookDispatcher webhooks, Templates.SandboxTemplates templates)
    {
        var raised = new HashSet<string>(StringComparer.Ordinal);
        var videos = new List<SandboxVideo>();
        foreach (var line in journal.Lines)
        {
            if (line.Video is { } video)
            {
                store.Restore(video, line.Cost ?? 0);
                videos.Add(video);
                // The key's stored answer is a function of the video, so the video line is the key's record too:
                // a create killed between the two could otherwise be made twice.
                if (video is { IdempotencyKey: { } templateKey, TemplateId: { } templateId })
                {
                    keys.Restore(Templates.TemplateEndpoints.ScopedKey(templateKey, templateId), video.CreatedAt, Templates.TemplateEndpoints.CreatedBody(video));
                }
                else if (video.IdempotencyKey is { } key)
                {
                    var agent = video.Kind == PromptVideoValidator.Agent;
                    keys.Restore(VideoEndpoints.ScopedKey(key, agent), video.CreatedAt, VideoEndpoints.CreatedBody(video, agent));
                }
            }
            else if (line.TopUp is { } amount)
            {
                store.RestoreTopUp(amount);
            }
            else if (line.Endpoint is { } endpoint)
            {
                registry.RestoreEndpoint(endpoint);
            }
            else if (line.EndpointRemoved is { } removed)
            {
                registry.RestoreRemoval(removed);
            }
            else if (line.TemplateSaved is { } save)
            {
                templates.Restore(save);
            }
            else if (line.Event is { } raisedEvent)
            {
                registry.RestoreEvent(raisedEvent);
                raised.Add(raisedEvent.EntityId);
            }
        }

        // HeyGen keeps running while our process is down: a video that finished meanwhile (or finishes
        // later) still raises its event, within the window in which HeyGen would still be delivering it.
        var now = options.TimeProvider.GetUtcNow();
        foreach (var video in videos)
        {
            if (!raised.Contains(video.Id) && now - video.FinishesAt < options.WebhookRetryHorizon)
            {
                webhooks.OnCreated(video);
            }
        }
    }
}
