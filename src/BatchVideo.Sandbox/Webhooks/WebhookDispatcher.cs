using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Files;
using BatchVideo.Sandbox.Videos;

namespace BatchVideo.Sandbox.Webhooks;

/// <summary>
/// Raises <c>avatar_video.success</c> / <c>.fail</c> when a video finishes and delivers them as HeyGen
/// does: signed to every enabled registered endpoint that wants the event, unsigned to the create's
/// <c>callback_url</c>; success is any 2xx within the timeout; failures are redelivered with doubling
/// waits until the retry horizon. The create endpoint only drops the video into a channel: scheduling,
/// signing and sending all happen on this background loop, off the request path.
/// </summary>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    public const string SignatureHeader = "Heygen-Signature";
    public const string TimestampHeader = "Heygen-Timestamp";
    public const string EventIdHeader = "Heygen-Event-Id";

    // Deliveries in flight at once; a slow receiver must not hold up every other one.
    private const int MaxConcurrentDeliveries = 32;

    private readonly SandboxOptions options;
    private readonly SandboxStats stats;
    private readonly WebhookRegistry registry;
    private readonly FaultInjector faults;
    private readonly SignedUrls urls;
    private readonly TimeProvider time;
    private readonly Channel<Scheduled> inbox = Channel.CreateUnbounded<Scheduled>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PriorityQueue<Scheduled, DateTimeOffset> due = new();
    private readonly SemaphoreSlim slots = new(MaxConcurrentDeliveries);
    private readonly CancellationTokenSource stopping = new();
    private readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private int sending;
    private Task loop = Task.CompletedTask;

    public WebhookDispatcher(SandboxOptions options, SandboxStats stats, WebhookRegistry registry, FaultInjector faults, SignedUrls urls)
    {
        this.options = options;
        this.stats = stats;
        this.registry = registry;
        this.faults = faults;
        this.urls = urls;
        time = options.TimeProvider;
    }

    public void Start() => loop = Task.Run(LoopAsync);

    /// <summary>Called on the create path: cheap, never blocks.</summary>
    public void OnCreated(SandboxVideo video) => inbox.Writer.TryWrite(new Scheduled(video.FinishesAt, video, null));

    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync();
        }

        inbox.Writer.TryComplete();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // A wall-clock grace for deliveries in the air: the sandbox's own clock may be a test's fake one that nobody advances now.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(5);
        while (Volatile.Read(ref sending) > 0 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        http.Dispose();
        slots.Dispose();
        stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var stopping = this.stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            while (inbox.Reader.TryRead(out var item))
            {
                due.Enqueue(item, item.At);
            }

            var now = time.GetUtcNow();
            while (due.TryPeek(out var next, out var at) && at <= now)
            {
                due.Dequeue();
                if (next.Delivery is { } delivery)
                {
                    await SendInBackgroundAsync(delivery, stopping);
                }
                else
                {
                    Raise(next.Video!, now);
                }
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var arrival = inbox.Reader.WaitToReadAsync(wake.Token).AsTask();
            var timer = due.TryPeek(out _, out var dueAt)
                ? Task.Delay(Max(dueAt - time.GetUtcNow(), TimeSpan.Zero), time, wake.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, time, wake.Token);
            await Task.WhenAny(arrival, timer);
            await wake.CancelAsync();
            await Task.WhenAll(arrival, timer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (arrival.IsCompletedSuccessfully && !arrival.Result)
            {
                return; // inbox completed: shutting down
            }
        }
    }

    /// <summary>The video finished: one event, one delivery per target (unless the drop fault loses it).</summary>
    private void Raise(SandboxVideo video, DateTimeOffset now)
    {
        var failed = VideoLifecycle.StatusAt(video, now) == VideoStatus.Failed;
        // A Video Agent video raises video_agent.* (heygen-cli's event enum); its payload is not documented, so the
        // sandbox sends the avatar_video.* shape (video_id, url, callback_id) under that name.
        var eventType = (failed, video.Kind == Videos.PromptVideoValidator.Agent) switch
        {
            (true, true) => WebhookEventTypes.VideoAgentFail,
            (false, true) => WebhookEventTypes.VideoAgentSuccess,
            (true, false) => WebhookEventTypes.AvatarVideoFail,
            (false, false) => WebhookEventTypes.AvatarVideoSuccess,
        };
        var endpoints = registry.Endpoints().Where(e => e.Wants(eventType)).ToList();
        if (endpoints.Count == 0 && video.CallbackUrl is null)
        {
            return; // nobody listens: nothing to raise or record
        }

        var body = failed ? FailBody(video, eventType) : SuccessBody(video, eventType, now);
        using var parsed = JsonDocument.Parse(body);
        var raised = new WebhookEvent("evt_" + Guid.NewGuid().ToString("N"), eventType, video.Id, body, parsed.RootElement.GetProperty("event_data").Clone(), now);
        registry.Record(raised);

        foreach (var endpoint in endpoints)
        {
            Schedule(new Delivery(raised, endpoint.Id, null, 1), now);
        }

        if (video.CallbackUrl is { } callback)
        {
            Schedule(new Delivery(raised, null, callback, 1), now);
        }
    }

    /// <summary>
    /// The fail body: by default only the documented <c>video_id</c>, <c>msg</c>, <c>callback_id</c> (v1 webhook events
    /// page); the observed readings of <see cref="SandboxOptions.SuccessWebhookFields"/> add <c>failure_code</c> and
    /// <c>callback_url</c>, which no source documents for this event.
    /// </summary>
    private byte[] FailBody(SandboxVideo video, string eventType)
    {
        var data = new System.Text.Json.Nodes.JsonObject
        {
            ["video_id"] = video.Id,
            ["msg"] = "Avatar rendering failed (the sandbox was asked to fail this script).",
            ["callback_id"] = video.CallbackId,
        };
        if (options.SuccessWebhookFields != SuccessWebhookFields.Documented)
        {
            data["failure_code"] = VideoLifecycle.FailureCode;
            data["callback_url"] = video.CallbackUrl;
        }

        var payload = new System.Text.Json.Nodes.JsonObject { ["event_type"] = eventType, ["event_data"] = data };
        return System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString(SandboxJson.Wire.Options));
    }

    /// <summary>
    /// The success body with the fields <see cref="SandboxOptions.SuccessWebhookFields"/> asks for: by default
    /// only the documented <c>video_id</c>, <c>url</c>, <c>callback_id</c>; no page link.
    /// </summary>
    private byte[] SuccessBody(SandboxVideo video, string eventType, DateTimeOffset now)
    {
        var data = new System.Text.Json.Nodes.JsonObject
        {
            ["video_id"] = video.Id,
            ["url"] = urls.For(MediaFile.Video(video), now),
            ["callback_id"] = video.CallbackId,
        };
        if (options.SuccessWebhookFields != SuccessWebhookFields.Documented)
        {
            data["gif_download_url"] = urls.For(MediaFile.Gif(video), now);
            data["video_share_page_url"] = null;
            data["folder_id"] = "";
            data["callback_url"] = video.CallbackUrl;
        }

        if (options.SuccessWebhookFields == SuccessWebhookFields.ObservedWithPageUrl)
        {
            data["video_page_url"] = urls.PageFor(video.Id);
        }

        var payload = new System.Text.Json.Nodes.JsonObject { ["event_type"] = eventType, ["event_data"] = data };
        return System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString(SandboxJson.Wire.Options));
    }

    private void Schedule(Delivery delivery, DateTimeOffset at)
    {
        if (delivery.Attempt == 1 && faults.NextWebhookDropped())
        {
            stats.CountWebhookDropped();
            return;
        }

        due.Enqueue(new Scheduled(at, null, delivery), at);
    }

    private async Task SendInBackgroundAsync(Delivery delivery, CancellationToken stopping)
    {
        try
        {
            await slots.WaitAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Interlocked.Increment(ref sending);
        _ = Task.Run(async () =>
        {
            try
            {
                await DeliverAsync(delivery, stopping);
            }
            finally
            {
                slots.Release();
                Interlocked.Decrement(ref sending);
            }
        }, CancellationToken.None);
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken stopping)
    {
        string url;
        string? secret = null;
        if (delivery.EndpointId is { } endpointId)
        {
            // Read at send time: a rotated secret signs every later attempt, a deleted endpoint gets nothing.
            var endpoint = registry.Find(endpointId);
            if (endpoint is null || endpoint.Status != "enabled")
            {
                return;
            }

            url = endpoint.Url;
            secret = endpoint.Secret;
        }
        else
        {
            url = delivery.CallbackUrl!;
        }

        if (await SendOnceAsync(url, secret, delivery.Event, stopping))
        {
            if (secret is null)
            {
                stats.CountCallbackDelivered();
            }
            else
            {
                stats.CountWebhookDelivered();
            }

            if (faults.NextWebhookDuplicated())
            {
                stats.CountWebhookDuplicate();
                await SendOnceAsync(url, secret, delivery.Event, stopping);
            }

            return;
        }

        if (stopping.IsCancellationRequested)
        {
            return;
        }

        var now = time.GetUtcNow();
        var wait = Min(options.WebhookRetryDelay * Math.Pow(2, Math.Min(delivery.Attempt - 1, 30)), options.WebhookMaxRetryDelay);
        if (now + wait - delivery.Event.CreatedAt > options.WebhookRetryHorizon)
        {
            stats.CountWebhookAbandoned();
            return;
        }

        inbox.Writer.TryWrite(new Scheduled(now + wait, null, delivery with { Attempt = delivery.Attempt + 1 }));
    }

    /// <summary>One POST; true for a 2xx within the timeout.</summary>
    private async Task<bool> SendOnceAsync(string url, string? secret, WebhookEvent raised, CancellationToken stopping)
    {
        stats.CountWebhookAttempt();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(raised.Body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            // Only registered endpoints get signed deliveries; per-request callbacks go out unsigned.
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, raised.Body));
            request.Headers.TryAddWithoutValidation(TimestampHeader, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(EventIdHeader, raised.Id);
        }

        using var timeout = new CancellationTokenSource(options.WebhookTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Lowercase hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes as given.</summary>
    internal static string Sign(string secret, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Something due at a time: a finished video to raise, or a delivery attempt.</summary>
    private sealed record Scheduled(DateTimeOffset At, SandboxVideo? Video, Delivery? Delivery);

    /// <summary>One event to one target, and which attempt this is.</summary>
    private sealed record Delivery(WebhookEvent Event, string? EndpointId, string? CallbackUrl, int Attempt);
}
