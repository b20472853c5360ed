using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BatchVideo.HeyGen.Templates;

namespace BatchVideo.HeyGen;

/// <summary>
/// Typed client for the HeyGen v3 video endpoints. Retries, pacing and timeouts live in the
/// HttpClient's resilience pipeline; this class only shapes requests and reads answers.
/// </summary>
public sealed class HeyGenClient(HttpClient http)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public async Task<VideoCreated> CreateVideoAsync(CreateVideoRequest request, string idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Serialized up front so the body goes with a Content-Length in one write, not chunked.
        var body = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(CreateBody(request)));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var message = new HttpRequestMessage(HttpMethod.Post, "v3/videos") { Content = body };
        message.Headers.Add(IdempotencyHeader, idempotencyKey);
        var envelope = await SendAsync(message, HeyGenJson.Default.DataEnvelopeVideoCreated, ct);
        return envelope.Data;
    }

    /// <summary>
    /// Sends one create of any type (<see cref="VideoCreate"/>) and returns the video to follow; a Video Agent
    /// answer's session id rides along in <see cref="VideoCreated.SessionId"/>.
    /// </summary>
    /// <exception cref="HeyGenApiException">HeyGen refused it.</exception>
    public async Task<VideoCreated> CreateAsync(VideoCreate create, string idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(create);
        var body = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(create.Body));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var message = new HttpRequestMessage(HttpMethod.Post, create.Route) { Content = body };
        message.Headers.Add(IdempotencyHeader, idempotencyKey);
        if (create.IsTemplateGenerate)
        {
            // The generate answer is the video resource itself ("Returns the created video object"): id, not video_id.
            var video = (await SendAsync(message, HeyGenJson.Default.DataEnvelopeVideoDetail, ct)).Data;
            return new VideoCreated(video.Id, video.Status);
        }

        if (!create.IsAgentSession)
        {
            return (await SendAsync(message, HeyGenJson.Default.DataEnvelopeVideoCreated, ct)).Data;
        }

        var session = (await SendAsync(message, VideoCreateJson.Default.DataEnvelopeVideoAgentSession, ct)).Data;
        // video_id is "Nullable in future multi-turn flows": the paid session is then the video in flight, followed
        // through GET /v3/video-agents/sessions/{id} until its video appears (AgentSessions).
        return new VideoCreated(session.VideoId is { Length: > 0 } videoId ? videoId : AgentSessions.Ref(session.SessionId), session.Status)
        {
            SessionId = session.SessionId,
        };
    }

    /// <summary>A Video Agent session: its status and, "once generation starts", its <c>video_id</c> (404 when unknown).</summary>
    public async Task<VideoAgentSession> GetAgentSessionAsync(string sessionId, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v3/video-agents/sessions/{Uri.EscapeDataString(sessionId)}");
        return (await SendAsync(message, VideoCreateJson.Default.DataEnvelopeVideoAgentSession, ct)).Data;
    }

    /// <summary>
    /// Synthesizes <paramref name="request"/> with <c>POST /v3/voices/speech</c>: the audio's URL and its length in
    /// seconds. Billed per second of audio on a USD wallet (developers.heygen.com/docs/pricing, "Speech — Starfish").
    /// Sent once; a 429 is waited out and sent again by the pipeline (HeyGenRegistration), since a refused
    /// request made no audio.
    /// </summary>
    /// <exception cref="HeyGenApiException">HeyGen refused it (an unknown voice, a text over 5,000 characters…).</exception>
    public async Task<SpeechAudio> SynthesizeSpeechAsync(SpeechRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, SpeechJson.Default.SpeechRequest));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var message = new HttpRequestMessage(HttpMethod.Post, SpeechRequest.Route) { Content = body };
        return (await SendAsync(message, SpeechJson.Default.DataEnvelopeSpeechAudio, ct)).Data;
    }

    /// <summary>The exact JSON body <see cref="CreateVideoAsync"/> sends for <paramref name="request"/>.</summary>
    public static string CreateBody(CreateVideoRequest request) =>
        JsonSerializer.Serialize(request, HeyGenJson.Default.CreateVideoRequest);

    public async Task<VideoDetail> GetVideoAsync(string videoId, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v3/videos/{Uri.EscapeDataString(videoId)}");
        var envelope = await SendAsync(message, HeyGenJson.Default.DataEnvelopeVideoDetail, ct);
        return envelope.Data;
    }

    /// <summary>Videos whose title contains <paramref name="titleFilter"/> (all videos when null), newest first, all pages.</summary>
    public async IAsyncEnumerable<VideoDetail> ListVideosAsync(
        string? titleFilter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            var uri = "v3/videos?limit=100"
                + (string.IsNullOrEmpty(titleFilter) ? "" : $"&title={Uri.EscapeDataString(titleFilter)}")
                + (token is null ? "" : $"&token={Uri.EscapeDataString(token)}");
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            var page = await SendAsync(message, HeyGenJson.Default.VideoPage, ct);
            foreach (var video in page.Data)
            {
                yield return video;
            }

            token = page.HasMore ? page.NextToken : null;
        }
        while (token is not null);
    }

    /// <summary>An avatar look, with its status and supported engines (404 when unknown).</summary>
    public async Task<AvatarLook> GetAvatarLookAsync(string avatarId, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v3/avatars/looks/{Uri.EscapeDataString(avatarId)}");
        return (await SendAsync(message, HeyGenJson.Default.DataEnvelopeAvatarLook, ct)).Data;
    }

    /// <summary>A voice, with a clone's status (404 when unknown).</summary>
    public async Task<VoiceInfo> GetVoiceAsync(string voiceId, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v3/voices/{Uri.EscapeDataString(voiceId)}");
        return (await SendAsync(message, HeyGenJson.Default.DataEnvelopeVoiceInfo, ct)).Data;
    }

    /// <summary>The account's API-ready templates (those with variables), all pages of <c>GET /v3/templates</c>.</summary>
    public async IAsyncEnumerable<TemplateSummary> ListTemplatesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            // 100 is the CLI's maximum for limit (gen/template.go TemplateList).
            using var message = new HttpRequestMessage(HttpMethod.Get, "v3/templates?limit=100" + (token is null ? "" : $"&token={Uri.EscapeDataString(token)}"));
            var page = await SendAsync(message, TemplateJson.Default.TemplatePage, ct);
            foreach (var template in page.Data)
            {
                yield return template;
            }

            token = page.HasMore ? page.NextToken : null;
        }
        while (token is not null);
    }

    /// <summary>One template: its variables with their current values, its scenes and scripts (404 when unknown).</summary>
    /// <exception cref="HeyGenApiException">HeyGen refused it, e.g. 404 for an unknown id.</exception>
    public async Task<TemplateDetail> GetTemplateAsync(string templateId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(templateId);
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v3/templates/{Uri.EscapeDataString(templateId)}");
        return (await SendAsync(message, TemplateJson.Default.TemplateDetailEnvelope, ct)).Data;
    }

    /// <summary>The account: billing type and what is left to spend (pre-flight).</summary>
    public async Task<UserInfo> GetUserAsync(CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "v3/users/me");
        return (await SendAsync(message, HeyGenJson.Default.DataEnvelopeUserInfo, ct)).Data;
    }

    /// <summary>Registers a webhook endpoint; the answer carries its signing secret, shown this once.</summary>
    public async Task<WebhookEndpoint> RegisterWebhookAsync(Uri url, IReadOnlyList<string>? events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var message = new HttpRequestMessage(HttpMethod.Post, "v3/webhooks/endpoints")
        {
            Content = JsonContent.Create(new WebhookEndpointRequest(url.AbsoluteUri, events), HeyGenJson.Default.WebhookEndpointRequest),
        };
        // One key for this call and its retries: a retried create must not register a second endpoint.
        message.Headers.Add(IdempotencyHeader, "bv-webhook-" + Guid.NewGuid().ToString("N"));
        return (await SendAsync(message, HeyGenJson.Default.DataEnvelopeWebhookEndpoint, ct)).Data;
    }

    /// <summary>Changes an endpoint's URL and/or events (events are replaced whole).</summary>
    public async Task<WebhookEndpoint> UpdateWebhookAsync(string endpointId, Uri? url, IReadOnlyList<string>? events, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Patch, $"v3/webhooks/endpoints/{Uri.EscapeDataString(endpointId)}")
        {
            Content = JsonContent.Create(new WebhookEndpointRequest(url?.AbsoluteUri, events), HeyGenJson.Default.WebhookEndpointRequest),
        };
        return (await SendAsync(message, HeyGenJson.Default.DataEnvelopeWebhookEndpoint, ct)).Data;
    }

    /// <summary>Every registered endpoint, all pages (secrets are never listed).</summary>
    public async IAsyncEnumerable<WebhookEndpoint> ListWebhooksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "v3/webhooks/endpoints?limit=100" + (token is null ? "" : $"&token={Uri.EscapeDataString(token)}"));
            var page = await SendAsync(message, HeyGenJson.Default.WebhookEndpointPage, ct);
            foreach (var endpoint in page.Data)
            {
                yield return endpoint;
            }

            token = page.HasMore ? page.NextToken : null;
        }
        while (token is not null);
    }

    /// <summary>A new signing secret; the old one stops working at once.</summary>
    public async Task<RotatedSecret> RotateWebhookSecretAsync(string endpointId, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"v3/webhooks/endpoints/{Uri.EscapeDataString(endpointId)}/rotate-secret");
        // A retried rotation replays the first answer instead of rotating twice.
        message.Headers.Add(IdempotencyHeader, "bv-rotate-" + Guid.NewGuid().ToString("N"));
        return (await SendAsync(message, HeyGenJson.Default.DataEnvelopeRotatedSecret, ct)).Data;
    }

    public async Task DeleteWebhookAsync(string endpointId, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Delete, $"v3/webhooks/endpoints/{Uri.EscapeDataString(endpointId)}");
        await SendAsync(message, HeyGenJson.Default.DataEnvelopeJsonElement, ct);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage message, JsonTypeInfo<T> typeInfo, CancellationToken ct)
    {
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await ReadErrorAsync(response, ct);
        }

        var body = await response.Content.ReadFromJsonAsync(typeInfo, ct);
        return body ?? throw new HeyGenApiException(response.StatusCode, "empty_response", "HeyGen sent an empty body", null);
    }

    private static async Task<HeyGenApiException> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ErrorBody? error = null;
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync(HeyGenJson.Default.ErrorEnvelope, ct);
            error = envelope?.Error;
        }
        catch (JsonException)
        {
            // A proxy or load balancer may answer with HTML; the status code still classifies it.
        }

        var code = error?.Code ?? DefaultCode(response.StatusCode);
        var text = error?.Message ?? response.ReasonPhrase ?? "no message";
        return new HeyGenApiException(response.StatusCode, code, text, error?.Param, RequestIdOf(response)) { RetryAfter = RetryAfterOf(response) };
    }

    /// <summary>HeyGen's request id for support: <c>X-Request-Id</c> (a CLI test also accepts <c>X-Amzn-Request-Id</c>).</summary>
    private static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var ids) || response.Headers.TryGetValues("X-Amzn-Request-Id", out ids)
            ? ids.FirstOrDefault()
            : null;

    /// <summary>The answer's Retry-After as a wait from now (seconds or an HTTP date), when it has one.</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        // An HTTP date is measured against the answer's own Date (the server's clock), else ours.
        { Date: { } date } => date - (response.Headers.Date ?? TimeProvider.System.GetUtcNow()) is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string DefaultCode(HttpStatusCode status) => (int)status switch
    {
        401 => "unauthorized",
        429 => "rate_limit_exceeded",
        >= 500 => "internal_error",
        _ => "http_" + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
