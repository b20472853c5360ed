using Microsoft.Extensions.Options;

namespace BatchVideo.HeyGen;

/// <summary>Adds the x-api-key header at the last moment, so the key lives in one place only.</summary>
internal sealed class ApiKeyHandler(IOptions<HeyGenOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("x-api-key");
        request.Headers.TryAddWithoutValidation("x-api-key", options.Value.ApiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
