using System.Text.Json;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Notifications;
using BatchVideo.Pages;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
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

    [TestCase("full_name", "BatchVideo campaign welcome: Amélie Durand (key C-1) opened their video page")]
    [TestCase(null, "BatchVideo campaign welcome: key C-1 opened their video page")]
    public async Task A_first_view_names_the_recipient_from_the_name_column_only_when_one_is_configured(string? nameColumn, string expected)
    {
        using var folder = new TempFolder();
        var ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={folder.File("ledger.db")}", TimeProvider.System);
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k", "m", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", "vid-1", null, CancellationToken.None);
        await ledger.MarkCompletedAsync("welcome", "C-1", "https://files/1.mp4", null, CancellationToken.None);
        // What a run does with the row: render its page texts (and name) and keep them in the ledger.
        var campaign = new CampaignOptions { Pages = new CampaignPageOptions { Enabled = true, Heading = "Hi {{ full_name }}", NameColumn = nameColumn } };
        var recorder = new PageTextRecorder(PageTextRenderer.For("welcome", campaign, ["id", "full_name"], "contacts.csv")!, ledger, "welcome");
        await recorder.AddAsync("C-1", ["C-1", " Amélie Durand "], CancellationToken.None);
        await recorder.FlushAsync(CancellationToken.None);
        var token = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-1"].PageToken;
        await using var sink = await WebhookSink.StartAsync();
        var notifications = Options.Create(new NotificationOptions { WebhookUrl = sink.Url });
        var services = new ServiceCollection().AddLogging().AddSingleton(notifications);
        services.AddHttpClient<RunNotifier>();
        await using var provider = services.BuildServiceProvider();
        using var notification = new FirstViewNotification(provider, notifications, Options.Create(new PagesOptions { PublicBaseUrl = new Uri("https://video.example.com") }), NullLogger<FirstViewNotification>.Instance);
        await notification.StartAsync(CancellationToken.None);

        await notification.OnFirstViewAsync((await ledger.FindPageAsync(token, CancellationToken.None))!, DateTimeOffset.UnixEpoch, CancellationToken.None);
        var posted = JsonDocument.Parse((await sink.WaitForAsync(1)).Single().Body).RootElement;
        await notification.StopAsync(CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        Assert.That(posted.GetProperty("text").GetString(), Does.StartWith(expected).And.EndWith($"https://video.example.com/v/{token}"));
        Assert.That(posted.TryGetProperty("name", out var name) ? name.GetString() : null, Is.EqualTo(nameColumn is null ? null : "Amélie Durand"));
    }
}
