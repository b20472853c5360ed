using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BatchVideo.Cli;

/// <summary>A request as the guard sees it: only the facts a browser cannot hide or a page cannot forge.</summary>
/// <param name="Host">The <c>Host</c> header as sent (name and optional port), or null.</param>
/// <param name="Origin">The <c>Origin</c> header, or null when the client sent none (command-line tools never do).</param>
/// <param name="FetchSite">The <c>Sec-Fetch-Site</c> header browsers add (<c>same-origin</c>, <c>same-site</c>, <c>cross-site</c>, <c>none</c>), or null.</param>
/// <param name="Caller">The connection's remote address.</param>
internal sealed record ServeRequest(string Method, string Path, string Scheme, string? Host, string? Origin, string? FetchSite, string? ContentType, IPAddress? Caller);

/// <summary>Why a request was refused, with the status it is answered with.</summary>
internal sealed record ServeRefusal(int StatusCode, string Reason);

/// <summary>
/// What <c>serve</c> refuses before any route runs, so that no web page a user visits can use it:
/// <list type="bullet">
/// <item>a <c>Host</c> that is not a name it serves (<c>Serve:Urls</c>, <c>Serve:AllowedHosts</c>, loopback names;
/// an IP address too when it listens on every interface): a DNS-rebinding page sends its own name, so it reads nothing;</item>
/// <item>a state-changing request (anything but GET, HEAD, OPTIONS) that a browser marks as coming from another site
/// (<c>Sec-Fetch-Site</c>, <c>Origin</c>), or that carries a form's content type (the kinds a page may post cross-site
/// without asking first);</item>
/// <item>without <c>Serve:AdminToken</c>, any admin request (all but health and the signed webhook receiver) from
/// another machine or carrying an <c>Origin</c>: only this machine's command line (<c>batchvideo trigger</c>, curl)
/// and a browser opening the pages directly get through.</item>
/// </list>
/// The bearer token itself is checked after this (<see cref="ServeAccess.UseAdminToken"/>).
/// </summary>
internal sealed class ServeRequestGuard
{
    public const string AllowedHostsKey = "Serve:AllowedHosts";

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1"];

    // The content types a page may send cross-site without a CORS preflight (the "simple" ones).
    private static readonly string[] FormTypes = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

    private readonly HashSet<string> hostNames;
    private readonly bool everyInterface;
    private readonly bool hasToken;
    private readonly string[] openPaths;
    private readonly string? pagesOrigin;

    private ServeRequestGuard(HashSet<string> hostNames, bool everyInterface, bool hasToken, string[] openPaths, string? pagesOrigin = null)
    {
        this.hostNames = hostNames;
        this.everyInterface = everyInterface;
        this.hasToken = hasToken;
        this.openPaths = openPaths;
        this.pagesOrigin = pagesOrigin;
    }

    /// <summary>Whether a path is a recipient page's (<c>/v/…</c>): public, without the admin token.</summary>
    public static bool IsPublicPage(string path) => path.StartsWith(Pages.PageLinks.PagePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// This guard, also answering for the host of <c>Pages:PublicBaseUrl</c> and taking beacons whose <c>Origin</c> is
    /// that address (behind a proxy that ends TLS, the request itself arrives as plain http).
    /// </summary>
    public ServeRequestGuard WithPublicPages(Uri? publicBase)
    {
        if (publicBase is null)
        {
            return this;
        }

        var names = new HashSet<string>(hostNames, StringComparer.OrdinalIgnoreCase) { publicBase.IdnHost.Trim('[', ']') };
        return new ServeRequestGuard(names, everyInterface, hasToken, openPaths, publicBase.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>True when serve listens on every interface (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>).</summary>
    public bool ListensEverywhere => everyInterface;

    /// <summary>The host names answered for, in order, for messages.</summary>
    public IReadOnlyCollection<string> HostNames => hostNames;

    /// <param name="urls">Where serve listens (';'-separated, as ASP.NET Core takes them).</param>
    /// <param name="allowedHosts">More names (a public name behind a proxy or on a wildcard address), ';' or ',' separated.</param>
    /// <param name="openPaths">Paths any caller may use: health and the signed webhook receiver.</param>
    public static ServeRequestGuard For(string urls, string? token, string? allowedHosts, params string[] openPaths)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var names = new HashSet<string>(LoopbackNames, StringComparer.OrdinalIgnoreCase);
        var everyInterface = false;
        foreach (var url in ServeAccess.ListenUrls(urls))
        {
            var host = ServeAccess.ListenHost(url);
            if (host == "*" || (IPAddress.TryParse(host, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))))
            {
                everyInterface = true;
            }
            else
            {
                names.Add(host);
            }
        }

        foreach (var name in (allowedHosts ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            names.Add(name.Trim('[', ']'));
        }

        return new ServeRequestGuard(names, everyInterface, !string.IsNullOrEmpty(token), openPaths);
    }

    /// <summary>Null when the request may go on; else why not.</summary>
    public ServeRefusal? Check(ServeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Serves(request.Host))
        {
            return new ServeRefusal(
                StatusCodes.Status421MisdirectedRequest,
                $"this server does not answer for the host name '{request.Host}' (names it answers for: Serve:Urls, Serve:AllowedHosts and loopback).");
        }

        var open = openPaths.Any(p => string.Equals(request.Path, p, StringComparison.OrdinalIgnoreCase));
        if (open)
        {
            // Health tells nothing worth a page's trouble; webhooks prove themselves by their signature.
            return null;
        }

        var changesState = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (changesState && CrossSite(request) is { } crossSite)
        {
            return new ServeRefusal(StatusCodes.Status403Forbidden, crossSite);
        }

        if (changesState && IsFormType(request.ContentType))
        {
            return new ServeRefusal(
                StatusCodes.Status415UnsupportedMediaType,
                $"a {request.ContentType} post is what a web page can send to any site: serve takes no forms (batchvideo trigger sends none).");
        }

        if (IsPublicPage(request.Path))
        {
            // Recipients' pages and their same-origin beacons: for anyone, on a name serve answers for.
            return null;
        }

        if (!hasToken && (request.Caller is not { } caller || !IPAddress.IsLoopback(caller) || request.Origin is not null))
        {
            return new ServeRefusal(
                StatusCodes.Status403Forbidden,
                "without Serve:AdminToken only this machine's command line may use serve's admin routes (no browser-sent Origin, loopback only); set a token to use them otherwise.");
        }

        return null;
    }

    /// <summary>The browser's own word that the request comes from another site; null when it says same-origin or nothing.</summary>
    private string? CrossSite(ServeRequest request)
    {
        if (request.FetchSite is { Length: > 0 } site
            && !site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) && !site.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return $"a {site} request (Sec-Fetch-Site) may not change anything here.";
        }

        if (request.Origin is { } origin && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
            && !(IsPublicPage(request.Path) && string.Equals(origin, pagesOrigin, StringComparison.OrdinalIgnoreCase)))
        {
            return $"a request from another origin ({origin}) may not change anything here.";
        }

        return null;
    }

    private static bool IsFormType(string? contentType) =>
        contentType is { Length: > 0 }
        && FormTypes.Any(f => contentType.TrimStart().StartsWith(f, StringComparison.OrdinalIgnoreCase));

    private bool Serves(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        var name = HostString.FromUriComponent(host).Host.Trim('[', ']');
        // A rebinding page's requests carry the page's own name; an address typed as such is no page's name.
        return hostNames.Contains(name)
            || (IPAddress.TryParse(name, out var address) && (everyInterface || IPAddress.IsLoopback(address)));
    }
}

/// <summary>Mounts <see cref="ServeRequestGuard"/> in front of every route.</summary>
internal static class ServeRequestGuardMiddleware
{
    public static void UseRequestGuard(this WebApplication app, ServeRequestGuard guard)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var refusal = guard.Check(new ServeRequest(
                request.Method,
                request.Path.Value ?? "/",
                request.Scheme,
                request.Headers.Host.ToString() is { Length: > 0 } host ? host : null,
                request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : null,
                request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site ? site : null,
                request.ContentType,
                context.Connection.RemoteIpAddress));
            if (refusal is null)
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = refusal.StatusCode;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(refusal.Reason, context.RequestAborted);
        });
    }
}
