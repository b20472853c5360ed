using System.Threading.Channels;
using BatchVideo.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Notifications;

/// <summary>
/// <c>first_view</c> from serve's beacon route: the ledger says a beacon was a recipient's first view (true once per
/// recipient whatever the number of nodes), this queues the post, and a background loop sends it. The beacon is
/// answered at once: a slow or dead channel webhook never holds a page's beacon or a ledger write permit.
/// </summary>
public sealed partial class FirstViewNotification(
    IServiceProvider services, IOptions<NotificationOptions> notifications, IOptions<PagesOptions> pages, ILogger<FirstViewNotification> logger)
    : BackgroundService, IFirstViewObserver
{
    /// <summary>Posts waiting at most; beyond that a first view is logged instead of posted (a burst after a mass mailing).</summary>
    internal const int Capacity = 1000;

    private readonly Channel<FirstView> queue = Channel.CreateBounded<FirstView>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public Task OnFirstViewAsync(PageLookup page, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (notifications.Value.WebhookUrl is null || pages.Value.PublicBaseUrl is not { } publicBase)
        {
            return Task.CompletedTask;
        }

        // The name is the one a run read from the campaign's Pages:NameColumn and kept with the page texts (null
        // without one: the key says who). It goes to the channel only, never to the log.
        var view = new FirstView(page.Campaign, page.RecipientKey, page.Texts.Name, PageLinks.Url(publicBase, page.Token), at);
        if (!queue.Writer.TryWrite(view))
        {
            LogDropped(logger, page.Campaign, page.RecipientKey);
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var view in queue.Reader.ReadAllAsync(stoppingToken))
            {
                // RunNotifier is a typed HttpClient (transient): one per post, so its handler rotates as the factory intends.
                await services.GetRequiredService<RunNotifier>().NotifyFirstViewAsync(view, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // serve is stopping; first views still queued are in the ledger and on the review and status pages.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "first_view of campaign {Campaign}, key {Key} was not posted: too many notifications are waiting")]
    private static partial void LogDropped(ILogger logger, string campaign, string key);
}
