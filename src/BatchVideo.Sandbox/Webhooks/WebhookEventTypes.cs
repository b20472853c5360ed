namespace BatchVideo.Sandbox.Webhooks;

/// <summary>The event types of the v3 specification (WebhookEventType), with a line each for the listing.</summary>
internal static class WebhookEventTypes
{
    public const string AvatarVideoSuccess = "avatar_video.success";
    public const string AvatarVideoFail = "avatar_video.fail";
    public const string VideoAgentSuccess = "video_agent.success";
    public const string VideoAgentFail = "video_agent.fail";

    public static IReadOnlyList<WebhookEventTypeItem> All { get; } =
    [
        new(AvatarVideoSuccess, "Fired when an avatar video completes rendering successfully."),
        new(AvatarVideoFail, "Fired when an avatar video fails to render."),
        new("avatar_video_gif.success", "Fired when a video's GIF preview is ready."),
        new("avatar_video_gif.fail", "Fired when a video's GIF preview fails."),
        new("avatar_video_caption.success", "Fired when a captioned video is ready."),
        new("avatar_video_caption.fail", "Fired when a captioned video fails."),
        new("video_translate.success", "Fired when a video translation completes."),
        new("video_translate.fail", "Fired when a video translation fails."),
        new("personalized_video", "Fired when a personalized video is generated."),
        new("instant_avatar.success", "Fired when an instant avatar is ready."),
        new("instant_avatar.fail", "Fired when an instant avatar fails."),
        new("photo_avatar_generation.success", "Fired when photo avatar generation completes."),
        new("photo_avatar_generation.fail", "Fired when photo avatar generation fails."),
        new("photo_avatar_train.success", "Fired when photo avatar training completes."),
        new("photo_avatar_train.fail", "Fired when photo avatar training fails."),
        new("photo_avatar_add_motion.success", "Fired when motion is added to a photo avatar."),
        new("photo_avatar_add_motion.fail", "Fired when adding motion to a photo avatar fails."),
        new("proofread_creation.success", "Fired when a proofread is created."),
        new("proofread_creation.fail", "Fired when a proofread fails."),
        new("live_avatar.success", "Fired when a live avatar session completes."),
        new("live_avatar.fail", "Fired when a live avatar session fails."),
        new(VideoAgentSuccess, "Fired when a Video Agent video completes."),
        new(VideoAgentFail, "Fired when a Video Agent video fails."),
    ];

    private static readonly HashSet<string> Names = [.. All.Select(t => t.EventType)];

    public static bool IsKnown(string name) => Names.Contains(name);
}
