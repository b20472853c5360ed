using System.Net;
using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Videos;

namespace BatchVideo.Sandbox.Files;

/// <summary>
/// <c>GET /video/{id}</c>: the page behind <c>video_page_url</c>, with no API key, as a recipient opens
/// it. By default a small HTML page whose <c>&lt;video&gt;</c> plays the signed file link; with
/// <see cref="SandboxOptions.PageRequiresLogin"/> a redirect to <c>/login</c>, a sign-in form. HeyGen
/// does not document which a real page does (heygen-v3-audit.md §3.15).
/// </summary>
internal sealed class PageEndpoints(SandboxOptions options, VideoStore store, SignedUrls urls)
{
    private const string LoginPage = """
        <!DOCTYPE html>
        <html><head><title>Sign in</title></head>
        <body><form method="post" action="/login"><h1>Log in to continue</h1>
        <input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form></body></html>
        """;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/video/{video_id}", new RequestDelegate(PageAsync)).WithMetadata(RouteTag.Public);
        routes.MapGet("/login", new RequestDelegate(LoginAsync)).WithMetadata(RouteTag.Public);
    }

    private Task PageAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["video_id"]!;
        if (options.PageRequiresLogin)
        {
            context.Response.Redirect("/login?next=" + Uri.EscapeDataString("/video/" + id));
            return Task.CompletedTask;
        }

        var now = options.TimeProvider.GetUtcNow();
        if (!store.TryGet(id, out var video) || VideoLifecycle.StatusAt(video, now) != VideoStatus.Completed)
        {
            return Html(context, StatusCodes.Status404NotFound, "<!DOCTYPE html><html><body><h1>Video not found</h1></body></html>");
        }

        var source = WebUtility.HtmlEncode(urls.For(MediaFile.Video(video), now));
        var title = WebUtility.HtmlEncode(video.Title ?? video.Id);
        return Html(context, StatusCodes.Status200OK, $"""
            <!DOCTYPE html>
            <html><head><title>{title}</title><meta property="og:video" content="{source}"></head>
            <body><video controls src="{source}"></video></body></html>
            """);
    }

    private static Task LoginAsync(HttpContext context) => Html(context, StatusCodes.Status200OK, LoginPage);

    private static Task Html(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
