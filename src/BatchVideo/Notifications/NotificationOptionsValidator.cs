using Microsoft.Extensions.Options;

namespace BatchVideo.Notifications;

/// <summary>Checks the notification settings at start.</summary>
internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.WebhookUrl is null || (options.WebhookUrl.IsAbsoluteUri && options.WebhookUrl.Scheme is "http" or "https")
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Notifications:WebhookUrl must be an absolute http(s) URL (an incoming webhook of Slack, Teams or the like).");
    }
}
