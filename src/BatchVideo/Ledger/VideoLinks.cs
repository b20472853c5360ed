namespace BatchVideo.Ledger;

/// <summary>The links of a completed video as HeyGen last gave them.</summary>
/// <param name="VideoUrl">Presigned MP4 link; expires.</param>
/// <param name="PageUrl">The video's page in HeyGen's app; stable.</param>
/// <param name="ThumbnailUrl">Presigned thumbnail link; expires with the video link.</param>
/// <param name="ExpiresAt">Unix milliseconds when the signed links stop working, when known or estimated.</param>
public sealed record VideoLinks(string? VideoUrl, string? PageUrl, string? ThumbnailUrl, long? ExpiresAt);
