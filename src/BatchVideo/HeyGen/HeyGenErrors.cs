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
    public HeyGenApiException(HttpStatusCode status, string code, string message, string? param)
        : base($"HeyGen answered {(int)status} {code}: {message}{(param is null ? "" : $" (param: {param})")}")
    {
        Status = status;
        Code = code;
        ApiMessage = message;
        Param = param;
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

    public ErrorDisposition Disposition { get; }
}

/// <summary>The error taxonomy: each documented HeyGen code mapped to what the batch does about it.</summary>
public static class HeyGenErrors
{
    // Codes from the v3 reference and its observed variants (docs/heygen-contract.md).
    private static readonly Dictionary<string, ErrorDisposition> ByCode = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rate_limit_exceeded"] = ErrorDisposition.Retry,
        ["request_in_progress"] = ErrorDisposition.Retry,
        ["internal_error"] = ErrorDisposition.Retry,
        ["invalid_parameter"] = ErrorDisposition.FailRow,
        ["download_failed"] = ErrorDisposition.FailRow,
        ["voice_not_usable"] = ErrorDisposition.StopBatch,
        ["unauthorized"] = ErrorDisposition.StopBatch,
        ["authentication_failed"] = ErrorDisposition.StopBatch,
        ["insufficient_credit"] = ErrorDisposition.StopBatch,
        ["quota_exceeded"] = ErrorDisposition.StopBatch,
        ["forbidden"] = ErrorDisposition.StopBatch,
        ["resource_access_denied"] = ErrorDisposition.StopBatch,
        ["ai_vendor_access_restricted"] = ErrorDisposition.StopBatch,
        ["avatar_not_found"] = ErrorDisposition.StopBatch,
        ["voice_not_found"] = ErrorDisposition.StopBatch,
        ["resource_limit_exceeded"] = ErrorDisposition.StopBatch,
        ["resource_limit_reached"] = ErrorDisposition.StopBatch,
    };

    public static ErrorDisposition Classify(HttpStatusCode status, string? code)
    {
        if (code is not null && ByCode.TryGetValue(code, out var known))
        {
            return known;
        }

        return (int)status switch
        {
            429 or 408 or 409 => ErrorDisposition.Retry,
            >= 500 => ErrorDisposition.Retry,
            401 or 402 or 403 => ErrorDisposition.StopBatch,
            _ => ErrorDisposition.FailRow,
        };
    }

    /// <summary>Whether the resilience pipeline should try this answer again.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status is 429 or 408 or 409 or >= 500;
}
