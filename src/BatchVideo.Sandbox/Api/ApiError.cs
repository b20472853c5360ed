namespace BatchVideo.Sandbox.Api;

/// <summary>An error answer before it is written: HTTP status plus the envelope's code, message and param.</summary>
internal sealed record ApiError(int StatusCode, string Code, string Message, string? Param = null)
{
    public static ApiError InvalidParameter(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_parameter", message, param);

    public static ApiError NotFound(string code, string message, string? param = null) =>
        new(StatusCodes.Status404NotFound, code, message, param);

    public static readonly ApiError Unauthorized = new(
        StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized: missing or invalid x-api-key header.");

    public static readonly ApiError RateLimitExceeded = new(
        StatusCodes.Status429TooManyRequests,
        "rate_limit_exceeded",
        "Too many requests. Retry after the duration specified in the Retry-After header.");

    public static readonly ApiError ConcurrentJobLimit = new(
        StatusCodes.Status429TooManyRequests,
        "rate_limit_exceeded",
        "Concurrent video job limit reached. Retry after the duration specified in the Retry-After header.");

    public static readonly ApiError InjectedServerError = new(
        StatusCodes.Status500InternalServerError, "internal_error", "Internal server error (sandbox fault injection).");

    public static readonly ApiError InternalError = new(
        StatusCodes.Status500InternalServerError, "internal_error", "Internal server error.");

    public static readonly ApiError RequestInProgress = new(
        StatusCodes.Status409Conflict,
        "request_in_progress",
        "A request with this Idempotency-Key is still being processed. Retry later.");

    public static readonly ApiError InsufficientCredit = new(
        StatusCodes.Status402PaymentRequired, "insufficient_credit", "Insufficient credit to create this video.");

    public static readonly ApiError RouteNotFound = new(
        StatusCodes.Status404NotFound, "not_found", "No such endpoint.");

    public static readonly ApiError MethodNotAllowed = new(
        StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "This endpoint does not support that HTTP method.");
}
