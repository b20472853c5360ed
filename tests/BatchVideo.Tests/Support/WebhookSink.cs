using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Tests.Support;

/// <summary>What a webhook receiver got: headers (lower-case names) and the raw body.</summary>
public sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>
/// A tiny HTTP receiver on loopback for webhook deliveries. By default it records and answers 200;
/// <c>answer</c> picks the status per request (0-based count), and <c>configure</c> can mount other
/// endpoints (the library's receiver) on the same app.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication app;
    private int count;

    private WebhookSink(WebApplication app) => this.app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri Url => new(BaseAddress, "hook");

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public static async Task<WebhookSink> StartAsync(Func<int, int>? answer = null, Action<WebApplication>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.UseRouting();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var index = Interlocked.Increment(ref sink.count) - 1;
            sink.Received.Enqueue(new ReceivedWebhook(headers, buffer.ToArray()));
            context.Response.StatusCode = answer?.Invoke(index) ?? 200;
        });
        configure?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        sink.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return sink;
    }

    /// <summary>Waits until at least <paramref name="count"/> deliveries arrived (or the timeout passed).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return [.. Received];
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
