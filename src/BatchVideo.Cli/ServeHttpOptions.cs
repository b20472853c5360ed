namespace BatchVideo.Cli;

/// <summary>
/// The <c>Serve</c> section: how <c>batchvideo serve</c> listens. Read by key where used
/// (<see cref="ServeCommand"/>, <see cref="ServeAccess"/>); this type names the keys, so a misspelled one is
/// an error at start like any other section's.
/// </summary>
internal sealed class ServeHttpOptions
{
    public const string Section = "Serve";

    /// <summary>Where HTTP listens (default http://127.0.0.1:5080); <c>--urls</c> wins.</summary>
    public string? Urls { get; set; }

    /// <summary>The bearer token every request but health and webhooks must carry; required off loopback. A secret.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The path HeyGen's webhook deliveries are posted to (default /webhooks/heygen).</summary>
    public string? WebhookPath { get; set; }
}
