using BatchVideo.HeyGen;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>Video Agent sessions recorded before their video was known (<see cref="AgentSessions"/>): followed until they name it.</summary>
internal sealed partial class VideoFollower
{
    /// <summary>
    /// Asks a Video Agent session recorded without a video for its <c>video_id</c>; once there, the ledger holds it in
    /// place of the stand-in and the video is followed as any. Done (and no video) when the session failed.
    /// </summary>
    private async Task<(bool Done, string? VideoId)> FollowSessionAsync(Followed followed, string sessionId, CancellationToken ct)
    {
        VideoAgentSession session;
        try
        {
            session = await heyGen.GetAgentSessionAsync(sessionId, ct);
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            // A session is paid for: it is asked again later, never given up on (a 404 included: read-after-write).
            LogPollFailed(logger, followed.VideoId, e.Message);
            return (false, null);
        }

        if (session.VideoId is { Length: > 0 } videoId)
        {
            await ledger.AdoptSessionVideoAsync(sessionId, videoId, CancellationToken.None);
            followed.SessionVideo = videoId;
            return (false, videoId);
        }

        if (session.Status != VideoStatus.Failed || !schedule.Forget(followed))
        {
            return (session.Status == VideoStatus.Failed, null);
        }

        const string code = "agent_session_failed";
        var message = $"Video Agent session {sessionId} failed before it made a video";
        await ledger.MarkFailedAsync(campaign, followed.Key, VideoStatus.Failed, code, message, CancellationToken.None);
        var failed = new RowProblem(RowOutcome.Failed, followed.Line, followed.Key, null, message) { Code = code };
        progress.OnRenderFailed(failed);
        await RejectAsync(followed, failed);
        breaker.OnFailure(code, message);
        return (true, null);
    }
}
