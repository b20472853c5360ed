namespace BatchVideo.HeyGen;

/// <summary>
/// A Video Agent session whose video is not known yet, held where a video id goes. The create's answer may carry
/// no <c>video_id</c> ("Nullable in future multi-turn flows", <c>CreateVideoAgentResponse</c>), but the session is
/// paid for: it is recorded as the row's video in flight (<c>session:&lt;session_id&gt;</c>) and followed with
/// <c>GET /v3/video-agents/sessions/{session_id}</c> until its <c>video_id</c> ("Video ID once generation starts",
/// <c>GetSessionResponse</c>) appears, never failed and sent again.
/// </summary>
public static class AgentSessions
{
    private const string Prefix = "session:";

    /// <summary>The stand-in video id of a session without a video yet.</summary>
    public static string Ref(string sessionId) => Prefix + sessionId;

    /// <summary>True, with the session id, when <paramref name="videoId"/> is a session's stand-in.</summary>
    public static bool TryGetSessionId(string? videoId, out string sessionId)
    {
        if (videoId is not null && videoId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            sessionId = videoId[Prefix.Length..];
            return true;
        }

        sessionId = "";
        return false;
    }
}
