namespace BatchVideo.Notifications;

/// <summary>Where BatchVideo says that a run ended, stopped, was refused, or waits for approval.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>
    /// An incoming-webhook URL (Slack, Teams, or anything that takes a JSON post with a <c>text</c>
    /// field). It is a secret (whoever has it can post to the channel): set it in the environment
    /// (<c>Notifications__WebhookUrl</c>) or user secrets, never in a committed file. It is never logged.
    /// Unset: no notification.
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>How long one post may take before it is given up (and logged); a run never waits longer.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
