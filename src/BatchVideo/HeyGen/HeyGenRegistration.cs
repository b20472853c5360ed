using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace BatchVideo.HeyGen;

/// <summary>Wires the typed HeyGen client: base address, key, and the resilience pipeline.</summary>
public static class HeyGenRegistration
{
    public static IServiceCollection AddHeyGenClient(this IServiceCollection services)
    {
        // The outage circuit's clock: the host's (tests give theirs), the system's when none is registered.
        services.TryAddSingleton(TimeProvider.System);
        services.AddTransient<ApiKeyHandler>();
        services.AddSingleton<HeyGenTraffic>();
        services.AddTransient<HeyGenTrafficHandler>();
        services.AddSingleton(sp => CreateRateLimiter(sp.GetRequiredService<IOptions<HeyGenOptions>>().Value));
        services.AddSingleton(sp => new HeyGenOutage(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<HeyGenOptions>>().Value));

        var client = services.AddHttpClient<HeyGenClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<HeyGenOptions>>().Value;
                http.BaseAddress = EnsureTrailingSlash(options.BaseUrl);
                // The pipeline owns timeouts; HttpClient's own would cut retries short.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<ApiKeyHandler>()
            .RedactLoggedHeaders(_ => true);
        client.AddResilienceHandler("heygen", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<HeyGenOptions>>().Value;
                var limiter = context.ServiceProvider.GetRequiredService<HeyGenRateLimiter>();
                var outage = context.ServiceProvider.GetRequiredService<HeyGenOutage>();

                // Outer to inner: retry -> outage circuit -> rate limit -> attempt timeout. Every attempt, first or
                // retried, waits for a token, so retries can never push us over the configured rate. While HeyGen
                // is unreachable, attempts wait at the circuit (HeyGenOutage) instead of each sleeping its own
                // backoff, so they go together as soon as a probe gets through.
                // A create's 429 is not retried here: it means the account's job cap is reached, and the
                // runner's render slots wait for a video to finish instead (Campaigns/RenderSlots).
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                    MaxDelay = TimeSpan.FromSeconds(30),
                    ShouldRetryAfterHeader = true,
                    // An unreachable HeyGen: the next attempt waits at the circuit, which knows when to try again.
                    DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                        args.Outcome.Exception is HttpRequestException && outage.IsOpen ? TimeSpan.Zero : null),
                    // Reads, and writes to an endpoint trusted to honour the Idempotency-Key (POST /v3/videos), are
                    // safe to repeat. Any other write goes once: it is tried again only when it never left, since
                    // a second send after HeyGen acted on the first would pay twice (HeyGenOptions.IdempotentEndpoints).
                    // The circuit's own give-up (HeyGenUnreachableException) is never retried.
                    ShouldHandle = args => args.Outcome.Exception is HeyGenUnreachableException
                        ? ValueTask.FromResult(false)
                        : MayRepeat(args.Context.GetRequestMessage(), options)
                        ? args.Outcome switch
                        {
                            { Exception: HttpRequestException or TimeoutRejectedException } => ValueTask.FromResult(true),
                            { Result: { } response } => IsRetriedAsync(response, args.Context.CancellationToken),
                            _ => ValueTask.FromResult(false),
                        }
                        : args.Outcome.Result is { } refused && IdempotentEndpoints.IsRefusedUnmade(refused)
                        ? IsRetriedAsync(refused, args.Context.CancellationToken)
                        : ValueTask.FromResult(IdempotentEndpoints.NeverSent(args.Outcome.Exception)),
                });
                pipeline.AddStrategy(_ => new OutageGateStrategy(outage), new OutageGateOptions());
                pipeline.AddRateLimiter(new HttpRateLimiterStrategyOptions
                {
                    RateLimiter = args => limiter.Limiter.AcquireAsync(1, args.Context.CancellationToken),
                });
                // Writes get longer than reads: a create's p99 is about 31 s (heygen-cli cmd/heygen/timeouts.go).
                pipeline.AddTimeout(new HttpTimeoutStrategyOptions
                {
                    TimeoutGenerator = args => ValueTask.FromResult(
                        args.Context.GetRequestMessage()?.Method == HttpMethod.Get ? options.AttemptTimeout : options.CreateAttemptTimeout),
                });
            });

        // Inside the resilience handler, so every attempt is counted, retries included.
        client.AddHttpMessageHandler<HeyGenTrafficHandler>();
        return services;
    }

    /// <summary>
    /// True for a read or another request idempotent by HTTP's own rules (PUT, PATCH of whole fields, DELETE), and
    /// for a POST whose endpoint is trusted to honour its Idempotency-Key.
    /// </summary>
    private static bool MayRepeat(HttpRequestMessage? request, HeyGenOptions options) =>
        request is null
        || request.Method != HttpMethod.Post
        || (request.RequestUri is { } uri && options.TrustsIdempotencyKey(uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString));

    private static async ValueTask<bool> IsRetriedAsync(HttpResponseMessage response, CancellationToken ct) =>
        !await HeyGenErrors.IsCreateRefusalAsync(response, ct) && await HeyGenErrors.IsTransientAsync(response, ct);

    private static HeyGenRateLimiter CreateRateLimiter(HeyGenOptions options)
    {
        // Refill in small steps so a limit of R/s is spread over the second instead of bursting.
        var perSecond = options.RequestsPerSecond;
        var period = TimeSpan.FromMilliseconds(Math.Max(10, 1000 / Math.Min(perSecond, 100)));
        var tokensPerPeriod = Math.Max(1, (int)Math.Round(perSecond * period.TotalSeconds));
        return new HeyGenRateLimiter(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, tokensPerPeriod),
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
    }

    private static Uri EnsureTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}

/// <summary>The one request-rate limiter shared by every HeyGen call of the process.</summary>
public sealed class HeyGenRateLimiter(RateLimiter limiter) : IDisposable
{
    public RateLimiter Limiter { get; } = limiter;

    public void Dispose() => Limiter.Dispose();
}
