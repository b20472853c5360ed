using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// Mounts the webhook receiver in an ASP.NET Core host (the <c>serve</c> command's). It lives here, not in
/// the library, so the library stays free of ASP.NET Core: <see cref="WebhookProcessor"/> is the entry point.
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>
    /// Maps <c>POST {path}</c> to <see cref="WebhookProcessor"/>. The body is read raw (the signature is
    /// over its exact bytes) and bounded by <c>HeyGen:WebhookMaxBodyBytes</c>; the answer is the
    /// processor's status with a one-line reason, never the secret.
    /// </summary>
    public static IEndpointConventionBuilder MapHeyGenWebhooks(this IEndpointRouteBuilder routes, string path)
    {
        ArgumentNullException.ThrowIfNull(routes);
        // HeyGen's legacy registration probed the URL with an OPTIONS request (1 s timeout) and required it
        // to succeed (docs.heygen.com/reference/add-a-webhook-endpoint); v3 says nothing either way, so answer it.
        routes.MapMethods(path, [HttpMethods.Options], () => Results.Ok());
        return routes.MapPost(path, async (HttpContext context) =>
        {
            var processor = context.RequestServices.GetRequiredService<WebhookProcessor>();
            var limit = context.RequestServices.GetRequiredService<IOptions<HeyGenOptions>>().Value.WebhookMaxBodyBytes;
            var body = await ReadBoundedAsync(context.Request, limit, context.RequestAborted);
            WebhookResult result;
            if (body is null)
            {
                result = new WebhookResult(StatusCodes.Status413PayloadTooLarge, WebhookOutcome.Rejected, $"body over {limit} bytes");
            }
            else
            {
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var (name, values) in context.Request.Headers)
                {
                    headers[name] = values.ToString();
                }

                result = await processor.HandleAsync(body, headers, context.RequestAborted);
            }

            context.Response.StatusCode = result.StatusCode;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(result.Outcome.ToString().ToLowerInvariant() + ": " + result.Detail, context.RequestAborted);
        });
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> (never buffered past it).</summary>
    internal static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new byte[Math.Min(limit + 1, (int)(request.ContentLength ?? 4096) + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(limit + 1, buffer.Length * 2));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
            if (length > limit)
            {
                return null;
            }
        }
    }
}
