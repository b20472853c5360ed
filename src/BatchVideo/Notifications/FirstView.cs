namespace BatchVideo.Notifications;

/// <summary>
/// A recipient opened their page for the first time (<c>first_view</c>), so a sales rep can follow up the same hour.
/// The page address is what the rep opens; the webhook URL, a secret, is never part of it.
/// </summary>
/// <param name="Key">The recipient key, as the ledger holds it.</param>
/// <param name="Name">The recipient's name, when the campaign says which column holds it; null otherwise.</param>
/// <param name="Page">The recipient's page.</param>
/// <param name="At">When the page's script reported the view.</param>
public sealed record FirstView(string Campaign, string Key, string? Name, Uri Page, DateTimeOffset At)
{
    /// <summary>"BatchVideo campaign welcome: Ann Lee (key 17) opened their video page for the first time at 2026-12-06 04:10 UTC. https://…".</summary>
    public string Text => FormattableString.Invariant(
        $"BatchVideo campaign {Campaign}: {(Name is { Length: > 0 } name ? $"{name} (key {Key})" : $"key {Key}")} opened their video page for the first time at {At.UtcDateTime:yyyy-MM-dd HH:mm} UTC. {Page.AbsoluteUri}");
}
