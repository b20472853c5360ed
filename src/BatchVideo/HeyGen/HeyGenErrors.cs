using System.Net;

namespace BatchVideo.HeyGen;

/// <summary>What a HeyGen error means for the batch.</summary>
public enum ErrorDisposition
{
    /// <summary>Try the same request again later; nothing is wrong with the row.</summary>
    Retry,

    /// <summary>This row cannot be sent as it is; report it and go on with the others.</summary>
    FailRow,

    /// <summary>No row can succeed (bad key, no credit, wrong avatar): stop before paying for more failures.</summary>
    StopBatch,
}

/// <summary>An error answer from HeyGen, without the request's key or body.</summary>
public sealed class HeyGenApiException : Exception
{
    /// <param name="requestId">HeyGen's <c>X-Request-Id</c> response header, kept for support (HeyGen's CLI reports it with every error).</param>
    public HeyGenApiException(HttpStatusCode status, string code, string message, string? param, string? requestId = null)
        : base($"HeyGen answered {(int)status} {code}: {message}{(param is null ? "" : $" (param: {param})")}{(requestId is null ? "" : $" [X-Request-Id {requestId}]")}")
    {
        Status = status;
        Code = code;
        ApiMessage = requestId is null ? message : $"{message} [X-Request-Id {requestId}]";
        Param = param;
        RequestId = requestId;
        Disposition = HeyGenErrors.Classify(status, code);
    }

    public HeyGenApiException()
        : this(HttpStatusCode.InternalServerError, "unknown", "unknown error", null)
    {
    }

    public HeyGenApiException(string message)
        : this(HttpStatusCode.InternalServerError, "unknown", message, null)
    {
    }

    public HeyGenApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "unknown";
        ApiMessage = message;
        Disposition = ErrorDisposition.Retry;
    }

    public HttpStatusCode Status { get; }

    public string Code { get; }

    public string ApiMessage { get; }

    public string? Param { get; }

    /// <summary>HeyGen's <c>X-Request-Id</c> for this answer, when it sent one; <see cref="ApiMessage"/> carries it too.</summary>
    public string? RequestId { get; }

    public ErrorDisposition Disposition { get; }

    /// <summary>HeyGen's <c>Retry-After</c>, when the answer carried one (seconds or an HTTP date).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// A create refused because the account has as many videos unfinished as it may (429
    /// <c>rate_limit_exceeded</c> on <c>POST /v3/videos</c>; HeyGen uses one code for both of its limits, and
    /// on a create the job cap is the one that binds). Not the row's fault: it waits for a render slot.
    /// </summary>
    public bool IsJobCapRefusal =>
        Status == HttpStatusCode.TooManyRequests && string.Equals(Code, "rate_limit_exceeded", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One documented HeyGen error code: the status it usually comes with, and what the batch does.</summary>
/// <param name="Code">The <c>error.code</c> of the v3 envelope.</param>
/// <param name="Status">The HTTP status HeyGen documents (or was observed to send) with it.</param>
/// <param name="Disposition">What BatchVideo does about it.</param>
/// <param name="Meaning">One line for operators and docs.</param>
public sealed record HeyGenErrorCode(string Code, int Status, ErrorDisposition Disposition, string Meaning);

/// <summary>The error taxonomy: each documented HeyGen code mapped to what the batch does about it.</summary>
public static class HeyGenErrors
{
    /// <summary>
    /// Every code in the v3 reference and its observed variants (docs/heygen-contract.md, "Errors"). A code
    /// not listed is classified by its HTTP status alone.
    /// </summary>
    public static IReadOnlyList<HeyGenErrorCode> Known { get; } =
    [
        new("rate_limit_exceeded", 429, ErrorDisposition.Retry, "too many requests or too many concurrent jobs; wait Retry-After"),
        new("request_in_progress", 409, ErrorDisposition.Retry, "the same Idempotency-Key is still being processed"),
        new("internal_error", 500, ErrorDisposition.Retry, "HeyGen's fault"),
        new("invalid_parameter", 400, ErrorDisposition.FailRow, "this request is wrong (param names the field)"),
        new("download_failed", 400, ErrorDisposition.FailRow, "a URL in the request could not be fetched"),
        new("asset_not_found", 404, ErrorDisposition.FailRow, "an asset id in the request is unknown"),
        new("video_not_found", 404, ErrorDisposition.FailRow, "the video id is unknown (observed form)"),
        new("not_found", 404, ErrorDisposition.FailRow, "the resource is unknown (specification's form)"),
        new("unauthorized", 401, ErrorDisposition.StopBatch, "missing or wrong API key (observed form)"),
        new("authentication_failed", 401, ErrorDisposition.StopBatch, "missing or wrong API key (specification's form)"),
        new("insufficient_credit", 402, ErrorDisposition.StopBatch, "not enough credit for this video"),
        new("forbidden", 403, ErrorDisposition.StopBatch, "the key may not do this"),
        new("resource_access_denied", 403, ErrorDisposition.StopBatch, "the key may not use this resource"),
        new("ai_vendor_access_restricted", 403, ErrorDisposition.StopBatch, "the workspace's AI policy forbids this"),
        new("avatar_not_found", 404, ErrorDisposition.StopBatch, "the campaign's avatar look does not exist"),
        new("voice_not_found", 404, ErrorDisposition.StopBatch, "the campaign's voice does not exist"),
        new("voice_not_usable", 400, ErrorDisposition.StopBatch, "the campaign's voice may not be used for this"),
        new("quota_exceeded", 429, ErrorDisposition.StopBatch, "the account's usage quota is spent"),
        new("resource_limit_exceeded", 400, ErrorDisposition.StopBatch, "an account resource limit is reached (changelog form)"),
        new("resource_limit_reached", 400, ErrorDisposition.StopBatch, "an account resource limit is reached (observed form)"),
        new("trial_video_limit_exceeded", 400, ErrorDisposition.StopBatch, "the trial's daily video limit is reached (legacy, observed)"),
    ];

    private static readonly Dictionary<string, ErrorDisposition> ByCode =
        Known.ToDictionary(k => k.Code, k => k.Disposition, StringComparer.OrdinalIgnoreCase);

    public static ErrorDisposition Classify(HttpStatusCode status, string? code)
    {
        if (code is not null && ByCode.TryGetValue(code, out var known))
        {
            return known;
        }

        // A 409 is retried only as request_in_progress (listed above); HeyGen's CLI calls any other conflict
        // "retrying is unlikely to help" (internal/errors/errors.go), so the row fails.
        return (int)status switch
        {
            429 or 408 => ErrorDisposition.Retry,
            >= 500 => ErrorDisposition.Retry,
            401 or 402 or 403 => ErrorDisposition.StopBatch,
            _ => ErrorDisposition.FailRow,
        };
    }

    /// <summary>The endpoints that make a video, each counted against the account's concurrent-job cap.</summary>
    private static readonly string[] CreateEndpoints = ["/v3/videos", "/v3/video-agents", "/v3/templates/{template_id}"];

    /// <summary>
    /// True for a create's 429 <c>rate_limit_exceeded</c>: the resilience pipeline hands it back at once,
    /// because waiting for a render slot (not a blind retry) is what frees the account's job cap.
    /// </summary>
    public static async ValueTask<bool> IsCreateRefusalAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode != HttpStatusCode.TooManyRequests || response.RequestMessage is not { } request
            || request.Method != HttpMethod.Post
            || !(request.RequestUri?.AbsolutePath is { } path && IdempotentEndpoints.Trusts(CreateEndpoints, path)))
        {
            return false;
        }

        return await CodeOfAsync(response, ct) is null or "rate_limit_exceeded";
    }

    /// <summary>Whether the resilience pipeline should try this answer again.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status is 429 or 408 or 409 or >= 500;

    /// <summary>
    /// Like <see cref="IsTransient(HttpStatusCode)"/>, but a 429 whose code says the account is spent
    /// (<c>quota_exceeded</c>) is final: waiting a few seconds will not refill it; and a 409 is retried only
    /// when its code is <c>request_in_progress</c>.
    /// </summary>
    public static async ValueTask<bool> IsTransientAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!IsTransient(response.StatusCode))
        {
            return false;
        }

        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict))
        {
            return true;
        }

        return Classify(response.StatusCode, await CodeOfAsync(response, ct)) == ErrorDisposition.Retry;
    }

    /// <summary>The error code of an answer's envelope; null when the body is not one.</summary>
    private static async ValueTask<string?> CodeOfAsync(HttpResponseMessage response, CancellationToken ct)
    {
        // Buffered, so the client can still read the body once the pipeline hands the answer over.
        await response.Content.LoadIntoBufferAsync(ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(body, HeyGenJson.Default.ErrorEnvelope)?.Error?.Code;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
