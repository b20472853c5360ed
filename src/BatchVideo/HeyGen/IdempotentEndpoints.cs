namespace BatchVideo.HeyGen;

/// <summary>
/// Which HeyGen endpoints are trusted to honour an <c>Idempotency-Key</c>, so that a request to them may be
/// sent again after it may have reached HeyGen. Support is per endpoint: HeyGen's references give the header
/// for <c>POST /v3/videos</c> (Create Video), the proofread generate and the webhook secret rotation, HeyGen's CLI
/// describes idempotent replays of <c>POST /v3/templates/{template_id}</c> (generate from template), and they list
/// none for <c>POST /v3/video-agents</c> ("Create video with Video Agent"); its CLI says of another create that
/// the header "is not honored here" (heygen-cli <c>gen/background-removal.go</c>). A write to any other endpoint
/// goes once: retried only when it certainly never left (no connection could be made).
/// </summary>
public static class IdempotentEndpoints
{
    /// <summary>The endpoints whose reference pages document the header (developers.heygen.com, 2026-12 reading).</summary>
    public static IReadOnlyList<string> Documented { get; } =
    [
        "/v3/videos",
        "/v3/videos/proofreads/{proofread_id}/generate",
        "/v3/webhooks/endpoints/{endpoint_id}/rotate-secret",
        // Generate from template: "Idempotent replays return the original creation-time snapshot" (heygen-cli
        // gen/template.go @ 7699a8ee, TemplateGenerate); the header is the one D-CREATE scopes "per-endpoint".
        "/v3/templates/{template_id}",
    ];

    /// <summary>
    /// True when <paramref name="path"/> (absolute, or relative to the base URL) is one of <paramref name="trusted"/>;
    /// a <c>{name}</c> segment matches any one segment, and a base URL's own path prefix is ignored.
    /// </summary>
    public static bool Trusts(IEnumerable<string> trusted, string path)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentNullException.ThrowIfNull(path);
        var segments = Segments(path);
        foreach (var pattern in trusted)
        {
            var want = Segments(pattern);
            if (want.Length == 0 || want.Length > segments.Length)
            {
                continue;
            }

            var offset = segments.Length - want.Length;
            var all = true;
            for (var i = 0; i < want.Length && all; i++)
            {
                all = (want[i].StartsWith('{') && want[i].EndsWith('}'))
                      || string.Equals(want[i], segments[offset + i], StringComparison.OrdinalIgnoreCase);
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when a request that failed this way certainly never reached HeyGen: the connection (name lookup,
    /// TCP connect, TLS handshake) could not be made, so nothing was sent.
    /// </summary>
    public static bool NeverSent(Exception? exception) =>
        exception is HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError,
        };

    /// <summary>
    /// True for a 429 of a write that makes nothing to wait for: <c>POST /v3/voices/speech</c> answers with its audio at
    /// once and takes no render slot, so its only limit is the request rate, and a refused request made no audio.
    /// Such a 429 is waited out (Retry-After) and sent again like a read's; a create's 429 is not (render slots).
    /// </summary>
    public static bool IsRefusedUnmade(HttpResponseMessage response) =>
        response is { StatusCode: System.Net.HttpStatusCode.TooManyRequests, RequestMessage.RequestUri: { } uri }
        && Trusts(["/" + HeyGen.SpeechRequest.Route], uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString);

    private static string[] Segments(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return (query >= 0 ? path[..query] : path).Split('/', StringSplitOptions.RemoveEmptyEntries);
    }
}
