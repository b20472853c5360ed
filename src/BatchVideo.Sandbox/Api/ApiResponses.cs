using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BatchVideo.Sandbox.Api;

/// <summary>Writes JSON answers with the source-generated serializers, so the hot path does no reflection.</summary>
internal static class ApiResponses
{
    private const string JsonContentType = "application/json";

    public static Task WriteJsonAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo) =>
        WriteBytesAsync(context, statusCode, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static Task WriteBytesAsync(HttpContext context, int statusCode, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        // HeyGen's CLI reads this header into every API error for support (internal/client/executor.go).
        response.Headers["X-Request-Id"] = context.TraceIdentifier;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, ApiError error, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteBytesAsync(context, error.StatusCode, Serialize(error));
    }

    public static byte[] Serialize(ApiError error) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new ErrorEnvelope(new ErrorBody(error.Code, error.Message, error.Param, DocUrl: null)),
            SandboxJson.Wire.ErrorEnvelope);
}
