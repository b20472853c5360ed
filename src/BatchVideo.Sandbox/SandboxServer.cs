using System.Net;
using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Catalog;
using BatchVideo.Sandbox.Files;
using BatchVideo.Sandbox.State;
using BatchVideo.Sandbox.Templates;
using BatchVideo.Sandbox.Videos;
using BatchVideo.Sandbox.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Sandbox;

/// <summary>A HeyGen v3-compatible HTTP server on loopback, for tests, demos and benchmarks without the internet.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    // Bounds the buffered create body; the largest legitimate one (5,000-character script plus a
    // base64 watermark) is far below it.
    private const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    private readonly WebApplication app;
    private readonly VideoStore store;
    private readonly WebhookDispatcher webhooks;
    private readonly Speech.SpeechEndpoints speech;
    private readonly SandboxTemplates templates;
    private int stopped;

    private SandboxServer(WebApplication app, SandboxOptions options, SandboxStats stats, VideoStore store, WebhookDispatcher webhooks, Speech.SpeechEndpoints speech, SandboxTemplates templates)
    {
        this.app = app;
        this.speech = speech;
        this.templates = templates;
        Options = options;
        Stats = stats;
        this.store = store;
        this.webhooks = webhooks;
    }

    /// <summary>Root of the server, with a trailing slash, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The options the server runs with.</summary>
    public SandboxOptions Options { get; }

    /// <summary>Live counters.</summary>
    public SandboxStats Stats { get; }

    /// <summary>A snapshot of every video created so far, oldest first.</summary>
    public IReadOnlyList<SandboxVideo> Videos => store.Snapshot();

    /// <summary>A snapshot of every speech made by <c>POST /v3/voices/speech</c>, oldest first.</summary>
    public IReadOnlyList<Speech.SandboxSpeech> Speeches => speech.Made;

    /// <summary>Adds <paramref name="amount"/> to the wallet (in its unit), as a top-up in HeyGen's app would.</summary>
    public void TopUp(double amount) => store.TopUp(amount);

    /// <summary>
    /// Saves template <paramref name="templateId"/> as HeyGen's editor would: its <c>revision</c> goes up by one and its
    /// <c>updated_at</c> becomes now (also <c>POST /sandbox/templates/{id}/save</c>). Returns the new revision.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The sandbox has no such template (<c>tpl_sandbox_welcome</c>, <c>tpl_sandbox_tour</c>).</exception>
    public long SaveTemplate(string templateId) => templates.Save(templateId).Revision;

    /// <summary>Starts Kestrel on <c>http://127.0.0.1:{port}</c>; port 0 picks a free one.</summary>
    public static Task<SandboxServer> StartAsync(SandboxOptions options, int port = 0, CancellationToken ct = default) =>
        StartAsync(options, port, journal: null, ct);

    /// <summary>
    /// Starts Kestrel on <c>http://127.0.0.1:{port}</c> (0 picks a free one) serving the account that
    /// <paramref name="journal"/> remembers, and recording every change to it there; null: an account
    /// that lives and dies with this server. The caller keeps the journal and disposes it after the server.
    /// </summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, int port, SandboxJournal? journal, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        // The empty builder reads no environment variables, appsettings or command line: the sandbox
        // must behave the same inside any host process, whatever ASPNETCORE_* it happens to carry.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // No per-request logging: it would cost more than the request at benchmark rates.
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        var stats = new SandboxStats();
        var store = new VideoStore(options, stats, journal);
        var urls = new SignedUrls(options.SignedUrlLifetime, AccountMemory.LinkSecret(journal));
        var catalog = new SandboxCatalog(options);
        var faults = new FaultInjector(options);
        var limiter = options.RequestsPerSecond > 0 ? new TokenBucket(options.RequestsPerSecond, options.TimeProvider) : null;
        var gate = new ApiGate(options, stats, faults, limiter);
        var idempotency = new IdempotencyStore(options.TimeProvider, options.IdempotencyWindow);
        var registry = new WebhookRegistry(options.TimeProvider, journal);
        var webhooks = new WebhookDispatcher(options, stats, registry, faults, urls);
        var templates = new SandboxTemplates(options, journal);
        if (journal is not null)
        {
            AccountMemory.Restore(journal, options, store, idempotency, registry, webhooks, templates);
        }

        app.UseRouting();
        app.Use(next => context => gate.InvokeAsync(context, next));
        var logger = (options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("BatchVideo.Sandbox");
        var fieldsInNoSchema = new FieldsInNoSchema(options, stats, logger);
        var creates = new KeyedCreates(options, stats, idempotency, faults, app.Lifetime.ApplicationStopping);
        new VideoEndpoints(options, stats, store, creates, catalog, urls, webhooks, fieldsInNoSchema).Map(app);
        new TemplateEndpoints(options, stats, templates, catalog, store, creates, webhooks, fieldsInNoSchema).Map(app);
        new WebhookEndpoints(registry).Map(app);
        new CatalogEndpoints(options, catalog, store).Map(app);
        new FileEndpoints(options, store, urls).Map(app);
        new PageEndpoints(options, store, urls).Map(app);
        var speech = new Speech.SpeechEndpoints(options, store, catalog);
        speech.Map(app);
        app.MapGet("/healthz", HealthAsync).WithMetadata(RouteTag.Public);

        var server = new SandboxServer(app, options, stats, store, webhooks, speech, templates);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            await webhooks.DisposeAsync();
            throw;
        }

        webhooks.Start();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        urls.BaseAddress = server.BaseAddress;
        return server;
    }

    /// <summary>Stops accepting requests and lets running ones finish (hung creates are released).</summary>
    public Task StopAsync(CancellationToken ct = default) =>
        Interlocked.Exchange(ref stopped, 1) == 0 ? app.StopAsync(ct) : Task.CompletedTask;

    /// <summary>Stops the server if needed and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await webhooks.DisposeAsync();
        await app.DisposeAsync();
    }

    private static Task HealthAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("ok", context.RequestAborted);
    }

    /// <summary>
    /// The sandbox lives inside someone else's process (a test run, the CLI): that process owns Ctrl+C and
    /// SIGTERM, so the default console lifetime, which would hook them, is replaced by one that does nothing.
    /// </summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
