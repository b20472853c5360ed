using System.Net;
using System.Security.Cryptography;
using System.Text;
using BatchVideo.Campaigns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BatchVideo.Cli;

/// <summary>
/// Who may use <c>serve</c>'s HTTP port. HeyGen's webhooks need it reachable from outside, and the same
/// port starts paid runs (<c>POST /campaigns/{name}/trigger</c>) and shows the campaigns' pages; so
/// whenever it listens beyond loopback, everything but the signed webhook receiver and <c>/healthz</c>
/// asks for <c>Authorization: Bearer &lt;Serve:AdminToken&gt;</c>, and serve refuses to start that way
/// without a token. On loopback alone a configured token is asked for too; without one the port is open
/// to this machine's command line only (<see cref="ServeRequestGuard"/>, which runs first and also keeps
/// browsers' cross-site and rebound requests out whatever the token).
/// </summary>
internal static class ServeAccess
{
    public const string TokenKey = "Serve:AdminToken";

    /// <summary>Throws when <paramref name="urls"/> reach beyond loopback and no admin token is set.</summary>
    public static void Check(string urls, string? token)
    {
        if (string.IsNullOrEmpty(token) && BeyondLoopback(urls) is { } exposed)
        {
            throw new ConfigurationException(
                $"serve would listen on {exposed}, beyond this machine, without an admin token: anyone reaching the port could start a paid run. "
                + "Set Serve:AdminToken (environment Serve__AdminToken, or user secrets) to a long random value, or listen on 127.0.0.1 only.");
        }

        if (token is { Length: > 0 and < 16 })
        {
            throw new ConfigurationException("Serve:AdminToken is shorter than 16 characters: use a long random value (for example `openssl rand -hex 32`).");
        }
    }

    /// <summary>The first of <paramref name="urls"/> (';'-separated, as ASP.NET Core takes them) that is not loopback, or null.</summary>
    public static string? BeyondLoopback(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in ListenUrls(urls))
        {
            var host = ListenHost(url);
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
            if (!loopback)
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>The entries of <c>Serve:Urls</c> (';'-separated, as ASP.NET Core takes them).</summary>
    public static string[] ListenUrls(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The host one <c>Serve:Urls</c> entry listens on, an IPv6 address without its brackets; <c>*</c> for every interface.</summary>
    public static string ListenHost(string url) =>
        // "http://*:80" and "http://+:80" are not valid URIs; they mean every interface.
        url.Contains("://*", StringComparison.Ordinal) || url.Contains("://+", StringComparison.Ordinal)
            ? "*"
            : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : "*";

    /// <summary>Asks for the bearer token on every path but <paramref name="openPaths"/>, when a token is set.</summary>
    public static void UseAdminToken(this WebApplication app, string? token, params string[] openPaths)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (openPaths.Any(open => path.Equals(open, StringComparison.OrdinalIgnoreCase)) || ServeRequestGuard.IsPublicPage(path.Value ?? ""))
            {
                await next(context);
                return;
            }

            var presented = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
            if (!CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await context.Response.WriteAsync("A bearer token (Serve:AdminToken) is required.", context.RequestAborted);
                return;
            }

            await next(context);
        });
    }
}
