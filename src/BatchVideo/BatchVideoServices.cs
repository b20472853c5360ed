using BatchVideo.Campaigns;
using BatchVideo.Databases;
using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Webhooks;
using BatchVideo.Ledger;
using BatchVideo.Pages;
using BatchVideo.Reports;
using BatchVideo.Scheduling;
using BatchVideo.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BatchVideo;

/// <summary>Registers the pipeline: options validated at start, the HeyGen client, the ledger, the runner.</summary>
public static class BatchVideoServices
{
    /// <param name="requireApiKey">False for commands that send nothing paid (validate, preview): they run without a key.</param>
    public static IServiceCollection AddBatchVideo(this IServiceCollection services, IConfiguration configuration, string baseDirectory, bool requireApiKey = true)
    {
        ConfigureDapper();
        // Values that do not convert are reported with the other problems at start, not thrown by the binder.
        var check = SettingsCheck.Apply(configuration, Sections);
        configuration = check.Configuration;
        services.TryAddSingleton(TimeProvider.System);
        services.AddCheckedOptions<BatchVideoOptions>(check, "")
            .PostConfigure(o => OptionsPaths.Resolve(o, baseDirectory, configuration));
        services.AddSingleton<IValidateOptions<BatchVideoOptions>, BatchVideoOptionsValidator>();
        services.AddCheckedOptions<HeyGenOptions>(check, HeyGenOptions.Section);
        services.AddSingleton<IValidateOptions<HeyGenOptions>>(new HeyGenOptionsValidator(requireApiKey));
        services.AddCheckedOptions<LedgerOptions>(check, LedgerOptions.Section)
            .PostConfigure(o => OptionsPaths.Resolve(o, baseDirectory));
        services.AddSingleton<IValidateOptions<LedgerOptions>>(new LedgerOptionsValidator(configuration));
        services.AddCheckedOptions<ServeOptions>(check, ServeOptions.Section);
        services.AddRecipientPages(check);

        services.AddCheckedOptions<ReportOptions>(check, ReportOptions.Section)
            .PostConfigure(o => o.Folder = Path.GetFullPath(string.IsNullOrWhiteSpace(o.Folder) ? "reports" : o.Folder, baseDirectory));
        services.AddSingleton<ReportWriter>();
        services.AddCheckedOptions<Notifications.NotificationOptions>(check, Notifications.NotificationOptions.Section);
        services.AddSingleton<IValidateOptions<Notifications.NotificationOptions>, Notifications.NotificationOptionsValidator>();
        // No HTTP logging: the URL is the secret, and the factory's default handlers would log it.
        services.AddHttpClient<Notifications.RunNotifier>().RemoveAllLoggers();

        services.AddHeyGenClient();
        services.AddDatabaseRetry();
        services.AddSingleton(sp =>
        {
            var ledger = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            return new LedgerStore(
                LedgerDialect.For(DatabaseEngine.Parse(ledger.Engine).Kind),
                ledger.ConnectionString,
                sp.GetRequiredService<TimeProvider>(),
                new LedgerSafety(ledger.Backups, EnginePaths.SharedSqliteFiles(sp.GetRequiredService<IOptions<BatchVideoOptions>>().Value)),
                sp.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>().GetPipeline(DatabaseRetry.Ledger));
        });
        services.AddTransient<CampaignPreflight>();
        services.AddTransient<CampaignLoader>();
        services.AddTransient<RunStages>();
        services.AddTransient<Campaigns.Types.TemplateReader>();
        services.AddTransient<CampaignRunner>();
        services.AddTransient<CompletionPass>();
        services.AddTransient<CampaignValidator>();
        services.AddTransient<CampaignPreview>();
        services.AddTransient<Names.SpeechPreviewer>();
        // Presigned file links: no API key, no shared rate limit; the downloader resumes on its own.
        services.AddHttpClient<Links.VideoDownloader>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        // Its own client: no HeyGen key header, redirects followed (the handler's default), a short timeout.
        services.AddHttpClient<Links.PageLinkCheck>(http => http.Timeout = Links.PageLinkCheck.Timeout).RemoveAllLoggers();
        services.AddTransient(sp => Options.Create(sp.GetRequiredService<IOptions<BatchVideoOptions>>().Value.Storage));
        services.AddTransient<Links.VideoStorage>();
        services.AddTransient<WriteBack.LinkRefresher>();
        services.AddSingleton<WebhookVerifier>();
        services.AddSingleton<WebhookProcessor>();
        return services;
    }

    /// <summary>
    /// Dapper's process-wide setting the ledger's queries rely on (snake_case columns such as
    /// <c>recipient_key</c> onto <c>RecipientKey</c>); set here, where the application is composed.
    /// </summary>
    public static void ConfigureDapper() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>The option sections checked for values that do not convert (section, options type).</summary>
    public static IReadOnlyList<(string Section, Type Type)> Sections { get; } =
    [
        ("", typeof(BatchVideoOptions)),
        (HeyGenOptions.Section, typeof(HeyGenOptions)),
        (LedgerOptions.Section, typeof(LedgerOptions)),
        (ReportOptions.Section, typeof(ReportOptions)),
        (ServeOptions.Section, typeof(ServeOptions)),
        (Notifications.NotificationOptions.Section, typeof(Notifications.NotificationOptions)),
        (Pages.PagesOptions.Section, typeof(Pages.PagesOptions)),
    ];
}
