using System.Text.Json;
using BatchVideo.Notifications;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BatchVideo.Tests.Notifications;

/// <summary><c>first_view</c>: what a sales rep's channel gets when a recipient first opens their page.</summary>
[TestFixture]
[Category("Integration")]
public sealed class FirstViewNotificationTests
{
    [Test]
    public async Task First_view_posts_campaign_key_name_and_page()
    {
        await using var sink = await WebhookSink.StartAsync();
        using var http = new HttpClient();
        var notifier = new RunNotifier(http, Options.Create(new NotificationOptions { WebhookUrl = sink.Url }), NullLogger<RunNotifier>.Instance);
        var page = new Uri("https://videos.example.com/v/abcdefghijklmnopqrstuvwxyz012345");

        await notifier.NotifyFirstViewAsync(new FirstView("welcome", "C-1001", "Amélie Durand", page, new DateTimeOffset(2026, 12, 6, 4, 10, 7, TimeSpan.Zero)), CancellationToken.None);

        var message = JsonDocument.Parse(sink.Received.Single().Body).RootElement;
        Assert.That(message.GetProperty("event").GetString(), Is.EqualTo("first_view"));
        Assert.That((message.GetProperty("campaign").GetString(), message.GetProperty("key").GetString(), message.GetProperty("name").GetString(), message.GetProperty("page").GetString()),
            Is.EqualTo(("welcome", "C-1001", "Amélie Durand", page.AbsoluteUri)));
        Assert.That(message.GetProperty("text").GetString(), Is.EqualTo(
            $"BatchVideo campaign welcome: Amélie Durand (key C-1001) opened their video page for the first time at 2026-12-06 04:10 UTC. {page.AbsoluteUri}"));
        Assert.That(sink.Received.Single().Text, Does.Not.Contain(sink.Url.AbsolutePath), "the webhook URL, a secret, is not in the message");
    }

    [Test]
    public async Task Without_a_name_the_key_says_who_and_no_url_posts_nothing()
    {
        await using var sink = await WebhookSink.StartAsync();
        using var http = new HttpClient();
        var view = new FirstView("welcome", "17", null, new Uri("https://v.example/v/t"), DateTimeOffset.UnixEpoch);
        var silent = new RunNotifier(http, Options.Create(new NotificationOptions()), NullLogger<RunNotifier>.Instance);

        await silent.NotifyFirstViewAsync(view, CancellationToken.None);

        Assert.That(sink.Received, Is.Empty);
        Assert.That(view.Text, Does.StartWith("BatchVideo campaign welcome: key 17 opened their video page"));
    }
}
