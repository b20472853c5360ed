using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Links;
using BatchVideo.Pages;
using BatchVideo.WriteBack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BatchVideo.Cli;

/// <summary>
/// <c>serve</c>'s public routes, outside the admin token (<see cref="ServeRequestGuard"/> still checks the host
/// name, and keeps cross-site posts out): <c>GET /v/{token}</c>, a recipient's page; <c>POST /v/{token}</c>, its
/// beacons; <c>GET /v/{token}/video</c> and <c>/poster</c>, a downloaded copy when no <c>Storage:PublicBaseUrl</c>
/// serves it. Every answer comes from the ledger, so any node of a cluster serves any page.
/// </summary>
internal static class ServeRecipientPages
{
    public static void AddRecipientPageServing(this IServiceCollection services)
    {
        services.AddSingleton<PageLinkRefreshes>();
        services.AddTransient<PageMediaResolver>();
        services.AddSingleton<PageBeacons>();
        services.AddSingleton<Notifications.FirstViewNotification>();
        services.AddSingleton<IFirstViewObserver>(p => p.GetRequiredService<Notifications.FirstViewNotification>());
        services.AddHostedService(p => p.GetRequiredService<Notifications.FirstViewNotification>());
    }

    public static void MapRecipientPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(PageLinks.PagePrefix + "{token}", ShowAsync);
        routes.MapPost(PageLinks.PagePrefix + "{token}", BeaconAsync);
        routes.MapGet(PageLinks.PagePrefix + "{token}/video", (string token, HttpContext context) => StoredAsync(token, poster: false, context));
        routes.MapGet(PageLinks.PagePrefix + "{token}/poster", (string token, HttpContext context) => StoredAsync(token, poster: true, context));
    }

    private static async Task ShowAsync(string token, HttpContext context)
    {
        var services = context.RequestServices;
        var ct = context.RequestAborted;
        if (await FindAsync(token, services, ct) is not var (page, campaign))
        {
            await NotFoundAsync(context);
            return;
        }

        var media = await services.GetRequiredService<PageMediaResolver>().ResolveAsync(page, campaign, ct);
        if (media is null)
        {
            // The video exists but nothing that plays it can be had right now (HeyGen unreachable and the stored link expired).
            Private(context.Response);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "300";
            await context.Response.WriteAsync("This video cannot be shown right now; please try again in a few minutes.", ct);
            return;
        }

        var publicBase = services.GetRequiredService<IOptions<PagesOptions>>().Value.PublicBaseUrl!;
        var view = new PageView(PageLinks.Url(publicBase, page.Token), media.VideoUrl, media.PosterUrl, page.Texts);
        var response = context.Response;
        Private(response);
        response.Headers.ContentSecurityPolicy = PageHtml.ContentSecurityPolicy(view);
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(PageHtml.Render(view), ct);
    }

    private static async Task BeaconAsync(string token, HttpContext context)
    {
        var request = context.Request;
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var body = await WebhookEndpoints.ReadBoundedAsync(request, PageBeacons.MaxBodyBytes, context.RequestAborted);
        var outcome = body is null
            ? BeaconOutcome.Malformed
            : await context.RequestServices.GetRequiredService<PageBeacons>().HandleAsync(token, body, context.RequestAborted);
        Private(context.Response);
        context.Response.StatusCode = outcome switch
        {
            BeaconOutcome.Accepted => StatusCodes.Status204NoContent,
            BeaconOutcome.Limited => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status400BadRequest,
        };
    }

    private static async Task StoredAsync(string token, bool poster, HttpContext context)
    {
        if (await FindAsync(token, context.RequestServices, context.RequestAborted) is not var (page, campaign)
            || !WriteBackLink.StoresFiles(campaign)
            || PageMediaResolver.StoredFile(page, poster) is not { } path)
        {
            await NotFoundAsync(context);
            return;
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        await Results.File(path, poster ? "image/jpeg" : "video/mp4", enableRangeProcessing: true).ExecuteAsync(context);
    }

    /// <summary>The live page of a campaign configured here with pages on; null for anything else, alike.</summary>
    private static async Task<(PageLookup Page, CampaignOptions Campaign)?> FindAsync(string token, IServiceProvider services, CancellationToken ct)
    {
        if (!PageTokens.IsWellFormed(token))
        {
            return null;
        }

        var page = await services.GetRequiredService<LedgerStore>().FindPageAsync(token, ct);
        return page is not null
            && services.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Campaigns.TryGetValue(page.Campaign, out var campaign)
            && campaign.Pages.Enabled
                ? (page, campaign)
                : null;
    }

    /// <summary>The same plain answer for a made-up, revoked or switched-off page: it tells nothing about which.</summary>
    private static async Task NotFoundAsync(HttpContext context)
    {
        Private(context.Response);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("Not found.", context.RequestAborted);
    }

    /// <summary>Headers every page answer carries: not cached (links are signed, views are counted), not indexed, not sniffed.</summary>
    private static void Private(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
