using BatchVideo.Campaigns;
using BatchVideo.Databases;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace BatchVideo.Scheduling;

/// <summary>
/// Registers Quartz for <c>batchvideo serve</c>: a durable job per table campaign (so any node can be
/// asked to run it), a cron trigger for each scheduled one, and the recurring completion job.
/// </summary>
public static class SchedulingRegistration
{
    public const string ScheduleGroup = "schedules";

    /// <param name="runJobs">False for a client (trigger, status) that only talks to the job store.</param>
    public static IServiceCollection AddBatchVideoScheduling(this IServiceCollection services, IConfiguration configuration, bool runJobs)
    {
        var scheduling = configuration.GetSection(ServeOptions.Section).Get<ServeOptions>() ?? new ServeOptions();
        var campaigns = configuration.Get<BatchVideoOptions>()?.Campaigns ?? [];
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(scheduling.TimeZone);
        services.AddOptions<ServeOptions>().Bind(configuration.GetSection(ServeOptions.Section));
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = scheduling.InstanceName;
                scheduler.GenerateInstanceId = scheduling.IsPersistent;
                scheduler.IdleWaitTime = TimeSpan.FromSeconds(1);
                // On SIGTERM running jobs are asked to stop (stop taking rows) and waited for.
                scheduler.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            });
            if (scheduling.IsPersistent)
            {
                var connectionString = scheduling.ConnectionString ?? configuration["Ledger:ConnectionString"]
                    ?? throw new ConfigurationException("Scheduling:ConnectionString is missing for a database job store.");
                quartz.UsePersistentStore(store =>
                {
                    switch (DatabaseEngine.Parse(scheduling.JobStore).Kind)
                    {
                        case EngineKind.Postgres:
                            store.UsePostgres(connectionString);
                            break;
                        case EngineKind.SqlServer:
                            store.UseSqlServer(connectionString);
                            break;
                        default:
                            throw new ConfigurationException("Scheduling:JobStore must be memory, postgres or sqlserver.");
                    }

                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = scheduling.CheckinInterval;
                        cluster.CheckinMisfireThreshold = scheduling.CheckinInterval * 2;
                    });
                    store.UseSystemTextJsonSerializer();
                    store.ProvisionSchema();
                    // A fire missed by more than this (the node was down) is a misfire: fire-and-proceed runs it once.
                    store.ConfigureStore(options => options.MisfireThreshold = scheduling.MisfireThreshold);
                });
            }
            else
            {
                quartz.UseInMemoryStore();
            }

            if (!runJobs)
            {
                return;
            }

            foreach (var (name, campaign) in campaigns.Where(c => c.Value.Source is not null))
            {
                quartz.AddJob<CampaignJob>(job => job.WithIdentity(CampaignJob.KeyFor(name)).StoreDurably().RequestRecovery());
                if (campaign.Schedule is { Length: > 0 } cron)
                {
                    // A node that was down at fire time runs the campaign once when it comes back, not once per missed fire.
                    quartz.AddTrigger(trigger => trigger
                        .ForJob(CampaignJob.KeyFor(name))
                        .WithIdentity(name, ScheduleGroup)
                        .WithCronSchedule(cron, c => c.InTimeZone(timeZone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
                }
            }

            quartz.AddJob<CompletionJob>(job => job.WithIdentity(CompletionJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(CompletionJob.Key)
                .WithIdentity("completion", ScheduleGroup)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(scheduling.CompletionInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        if (runJobs)
        {
            services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
            if (!scheduling.IsPersistent)
            {
                services.AddHostedService<MissedRunCatchUp>();
            }
        }

        return services;
    }
}
