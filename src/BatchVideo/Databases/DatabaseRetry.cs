using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;

namespace BatchVideo.Databases;

/// <summary>
/// The two database retry pipelines, defined once: the ledger's (every write of a result HeyGen already
/// gave must land, so it retries a short outage), registered by name and built once by Polly's registry;
/// and the CRM table's (a source that is away is waited for, up to a limit), built by each table source
/// it opens since its limit may differ. Both run on the application's <see cref="TimeProvider"/>, so tests
/// pass their backoffs on a fake clock.
/// </summary>
public static class DatabaseRetry
{
    /// <summary>Name of the ledger's pipeline in Polly's registry.</summary>
    public const string Ledger = "batchvideo-ledger";

    /// <summary>How long a table source waits out transient failures of one operation by default.</summary>
    public static readonly TimeSpan CrmTableRetryFor = TimeSpan.FromMinutes(2);

    /// <summary>Registers the ledger's pipeline; the registry builds it once, on the TimeProvider from the container.</summary>
    public static IServiceCollection AddDatabaseRetry(this IServiceCollection services)
    {
        services.AddResiliencePipeline(Ledger, (builder, context) =>
        {
            builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            ConfigureLedger(builder);
        });
        return services;
    }

    /// <summary>The ledger's pipeline outside a container (tools, tests), on <paramref name="time"/>.</summary>
    public static ResiliencePipeline BuildLedger(TimeProvider time) =>
        ConfigureLedger(new ResiliencePipelineBuilder { TimeProvider = time }).Build();

    /// <summary>A table source's pipeline outside a container, or with its own limit, on <paramref name="time"/>.</summary>
    public static ResiliencePipeline BuildCrmTable(TimeProvider time, TimeSpan retryFor) =>
        ConfigureCrmTable(new ResiliencePipelineBuilder { TimeProvider = time }, retryFor).Build();

    // 12 attempts with backoff capped at 5 s: about a minute, enough for a server restart or a failover.
    private static ResiliencePipelineBuilder ConfigureLedger(ResiliencePipelineBuilder builder) =>
        builder.AddRetry(new RetryStrategyOptions
        {
            Name = "ledger-retry",
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
            MaxRetryAttempts = 12,
        });

    // Retries without a count, bounded by time: the outer timeout ends the wait.
    private static ResiliencePipelineBuilder ConfigureCrmTable(ResiliencePipelineBuilder builder, TimeSpan retryFor) =>
        builder
            .AddRetry(new RetryStrategyOptions
            {
                Name = "crm-table-retry",
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                MaxRetryAttempts = int.MaxValue,
            })
            .AddTimeout(retryFor);

    /// <summary>
    /// Transient on the engine that raised it (each engine recognises only its own errors, plus the common
    /// ones). A full disk, a read-only file or a refused login is not: waiting a minute for it would only hang the run.
    /// </summary>
    private static bool IsTransient(Exception exception) =>
        DatabaseProblem.Of(exception) is null
        && (DatabaseEngine.Sqlite.IsTransient(exception) || DatabaseEngine.Postgres.IsTransient(exception) || DatabaseEngine.SqlServer.IsTransient(exception));
}
