namespace BatchVideo.Sandbox.Api;

/// <summary>
/// Runs before every endpoint, in HeyGen's order: count, authenticate, roll the fault dice, take a
/// rate-limit token. Unknown routes and unexpected exceptions also get the standard error envelope here.
/// </summary>
internal sealed class ApiGate(SandboxOptions options, SandboxStats stats, FaultInjector faults, TokenBucket? limiter)
{
    private const string ApiKeyHeader = "x-api-key";

    // The three answers that can be hot under load are serialized once.
    private static readonly byte[] UnauthorizedBody = ApiResponses.Serialize(ApiError.Unauthorized);
    private static readonly byte[] RateLimitBody = ApiResponses.Serialize(ApiError.RateLimitExceeded);
    private static readonly byte[] InjectedServerErrorBody = ApiResponses.Serialize(ApiError.InjectedServerError);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        stats.CountRequest();
        var endpoint = context.GetEndpoint();
        var tag = endpoint?.Metadata.GetMetadata<RouteTag>();
        if (tag is null)
        {
            // No endpoint at all is an unknown path; an endpoint without our tag is routing's own
            // "405 method not supported" endpoint.
            await ApiResponses.WriteErrorAsync(context, endpoint is null ? ApiError.RouteNotFound : ApiError.MethodNotAllowed);
            return;
        }

        if (ReferenceEquals(tag, RouteTag.CreateVideo))
        {
            stats.CountCreateRequest();
        }
        else if (ReferenceEquals(tag, RouteTag.GetVideo))
        {
            stats.CountStatusRequest();
        }
        else if (ReferenceEquals(tag, RouteTag.File))
        {
            stats.CountFileRequest();
        }

        if (tag.IsApi && !await AdmitAsync(context))
        {
            return;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel's own complaints about the request (body too large, malformed framing).
            var code = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "invalid_parameter";
            await ApiResponses.WriteErrorAsync(context, new ApiError(ex.StatusCode, code, ex.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
#pragma warning disable CA1031 // a sandbox bug must still answer in the envelope a client can parse
        catch (Exception) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            context.Response.Clear();
            await ApiResponses.WriteErrorAsync(context, ApiError.InternalError);
        }
    }

    /// <summary>Auth, then injected faults, then the real limiter; false when an answer was written.</summary>
    private async ValueTask<bool> AdmitAsync(HttpContext context)
    {
        if (!IsAuthorized(context))
        {
            await ApiResponses.WriteBytesAsync(context, StatusCodes.Status401Unauthorized, UnauthorizedBody);
            return false;
        }

        switch (faults.NextRequestFault())
        {
            case RequestFault.ServerError:
                stats.CountInjectedFault();
                await ApiResponses.WriteBytesAsync(context, StatusCodes.Status500InternalServerError, InjectedServerErrorBody);
                return false;
            case RequestFault.SpuriousRateLimit:
                stats.CountInjectedFault();
                await WriteRateLimitedAsync(context, retryAfterSeconds: 1);
                return false;
            case RequestFault.None:
            default:
                break;
        }

        if (limiter is not null && !limiter.TryTake(out var retryAfter))
        {
            stats.CountRateLimited();
            await WriteRateLimitedAsync(context, retryAfter);
            return false;
        }

        return true;
    }

    private bool IsAuthorized(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(ApiKeyHeader, out var values) || values.Count != 1)
        {
            return false;
        }

        var key = values[0];
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }
        // A plain comparison: the sandbox key guards nothing worth a timing attack.
        return options.ApiKey is null || string.Equals(key, options.ApiKey, StringComparison.Ordinal);
    }

    private static Task WriteRateLimitedAsync(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiResponses.WriteBytesAsync(context, StatusCodes.Status429TooManyRequests, RateLimitBody);
    }
}
