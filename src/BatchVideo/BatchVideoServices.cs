using System.ComponentModel.DataAnnotations;
using BatchVideo.Campaigns;
using BatchVideo.Databases;
using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Webhooks;
using BatchVideo.Ledger;
using BatchVideo.Pages;
using BatchVideo.Reports;
using BatchVideo.Scheduling;
using BatchVideo.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BatchVideo;

/// <summary>Where the ledger lives. SQLite by default, in a file beside the configuration.</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>sqlite (one machine), postgres or sqlserver (several machines share one ledger).</summary>
    public string Engine { get; set; } = "sqlite";

    /// <summary>For server engines, from the environment (Ledger__ConnectionString) or user secrets.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=batchvideo-ledger.db";

    /// <summary>How long a worker's claim on table rows lasts without renewal before another worker may take them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Copies of a SQLite ledger kept beside it, one taken before each run that changes it (0: none).
    /// Server ledgers are the server's to back up.
    /// </summary>
    [Range(0, 1000)]
    public int Backups { get; set; } = 3;
}

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
            .PostConfigure(o =>
            {
                o.BaseDirectory = baseDirectory;
                if (o.Storage.Folder is { Length: > 0 } storage)
                {
                    o.Storage.Folder = Path.GetFullPath(storage, baseDirectory);
                }
                foreach (var campaign in o.Campaigns.Values)
                {
                    if (campaign.Template.Length > 0)
                    {
                        campaign.Template = Path.GetFullPath(campaign.Template, baseDirectory);
                    }

                    if (campaign.Source is { } source)
                    {
                        if (source.ConnectionStringName is { Length: > 0 } named)
                        {
                            source.ConnectionString ??= configuration.GetConnectionString(named);
                        }

                        if (source.ConnectionString is { } text && IsSqlite(source.Engine))
                        {
                            source.ConnectionString = ResolveSqlitePath(text, baseDirectory);
                        }
                    }
                }
            });
        services.AddSingleton<IValidateOptions<BatchVideoOptions>, BatchVideoOptionsValidator>();
        services.AddCheckedOptions<HeyGenOptions>(check, HeyGenOptions.Section)
            .Validate(o => !requireApiKey || !string.IsNullOrWhiteSpace(o.ApiKey), "HeyGen API key is missing: set HEYGEN_API_KEY (or HeyGen:ApiKey in user secrets), or try the sandbox with --sandbox.")
            .Validate(o => o.BaseUrl.IsAbsoluteUri && o.BaseUrl.Scheme is "http" or "https", "HeyGen:BaseUrl must be an absolute http(s) URL.");
        services.AddCheckedOptions<LedgerOptions>(check, LedgerOptions.Section)
            .PostConfigure(o =>
            {
                if (IsSqlite(o.Engine))
                {
                    o.ConnectionString = ResolveSqlitePath(o.ConnectionString, baseDirectory);
                }
            })
            .Check(o => IsEngine(o.Engine) ? null : $"Ledger:Engine is '{o.Engine}'{SettingSource.Describe(configuration, "Ledger:Engine")}, which is not one of sqlite, postgres, sqlserver.");
        services.AddCheckedOptions<ServeOptions>(check, ServeOptions.Section);
        services.AddRecipientPages(check);

        services.AddCheckedOptions<ReportOptions>(check, ReportOptions.Section)
            .PostConfigure(o => o.Folder = Path.GetFullPath(string.IsNullOrWhiteSpace(o.Folder) ? "reports" : o.Folder, baseDirectory));
        services.AddSingleton<ReportWriter>();
        services.AddCheckedOptions<Notifications.NotificationOptions>(check, Notifications.NotificationOptions.Section)
            .Validate(
                o => o.WebhookUrl is null || (o.WebhookUrl.IsAbsoluteUri && o.WebhookUrl.Scheme is "http" or "https"),
                "Notifications:WebhookUrl must be an absolute http(s) URL (an incoming webhook of Slack, Teams or the like).");
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
                new LedgerSafety(ledger.Backups, SharedSqliteFiles(sp.GetRequiredService<IOptions<BatchVideoOptions>>().Value)),
                sp.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>().GetPipeline(DatabaseRetry.Ledger));
        });
        services.AddTransient<CampaignPreflight>();
        services.AddTransient<CampaignLoader>();
        services.AddTransient<CampaignRunner>();
        services.AddTransient<CampaignValidator>();
        services.AddTransient<CampaignPreview>();
        // Presigned file links: no API key, no shared rate limit; the downloader resumes on its own.
        services.AddHttpClient<Links.VideoDownloader>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        // Its own client: no HeyGen key header, redirects followed (the handler's default), a short timeout.
        services.AddHttpClient<Links.PageLinkCheck>(http => http.Timeout = Links.PageLinkCheck.Timeout).RemoveAllLoggers();
        services.AddTransient<Links.VideoStorage>();
        services.AddTransient<Links.LinkRefresher>();
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

    private static bool IsSqlite(string? name) => IsEngine(name) && DatabaseEngine.Parse(name).Kind == EngineKind.Sqlite;

    /// <summary>SQLite files that table campaigns read: a ledger placed in one of them on purpose shares it with the CRM's tables.</summary>
    private static IReadOnlyList<string> SharedSqliteFiles(BatchVideoOptions options) =>
    [
        .. options.Campaigns.Values
            .Select(c => c.Source)
            .Where(s => s?.ConnectionString is not null && IsSqlite(s.Engine))
            .Select(s => new SqliteConnectionStringBuilder(s!.ConnectionString).DataSource),
    ];

    private static bool IsEngine(string? name)
    {
        try
        {
            DatabaseEngine.Parse(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A relative SQLite file resolves against the configuration's folder, not the working directory.</summary>
    private static string ResolveSqlitePath(string connectionString, string baseDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !Path.IsPathRooted(file))
        {
            builder.DataSource = Path.GetFullPath(file, baseDirectory);
        }

        return builder.ToString();
    }
}

/// <summary>Checks every campaign at start: a missing template, avatar or voice is fatal before any request.</summary>
internal sealed class BatchVideoOptionsValidator : IValidateOptions<BatchVideoOptions>
{
    public ValidateOptionsResult Validate(string? name, BatchVideoOptions options)
    {
        var errors = new List<string>();
        if (options.Campaigns.Count == 0)
        {
            errors.Add("No campaign is configured: add one under Campaigns in appsettings.json.");
        }

        if (options.DefaultCampaign is { Length: > 0 } fallback && !options.Campaigns.ContainsKey(fallback))
        {
            errors.Add($"DefaultCampaign '{fallback}' is not one of the configured campaigns ({string.Join(", ", options.Campaigns.Keys)}).");
        }

        foreach (var (campaignName, campaign) in options.Campaigns)
        {
            var at = $"Campaigns:{campaignName}";
            if (string.IsNullOrWhiteSpace(campaign.Template))
            {
                errors.Add($"{at}:Template is missing: name the Scriban file of the script.");
            }
            else if (!File.Exists(campaign.Template))
            {
                errors.Add($"{at}:Template '{campaign.Template}' does not exist.");
            }

            Campaigns.VideoTypes.Validate(at, campaign, errors);

            if (!CampaignOptions.AspectRatios.Contains(campaign.AspectRatio))
            {
                errors.Add($"{at}:AspectRatio '{campaign.AspectRatio}' is not one of {string.Join(", ", CampaignOptions.AspectRatios)}.");
            }

            if (campaign.Engine is { } engine && !CampaignOptions.Engines.Contains(engine))
            {
                errors.Add($"{at}:Engine '{engine}' is not one of {string.Join(", ", CampaignOptions.Engines)}.");
            }

            if (!CampaignOptions.Resolutions.Contains(campaign.Resolution))
            {
                errors.Add($"{at}:Resolution '{campaign.Resolution}' is not one of {string.Join(", ", CampaignOptions.Resolutions)}.");
            }

            if (string.IsNullOrWhiteSpace(campaign.KeyColumn))
            {
                errors.Add($"{at}:KeyColumn is empty.");
            }

            if (campaign.Source is { } source)
            {
                if (string.IsNullOrWhiteSpace(source.Table))
                {
                    errors.Add($"{at}:Source:Table is missing.");
                }

                if (source.Engine is not ("sqlserver" or "postgres" or "postgresql" or "sqlite" or "mssql"))
                {
                    errors.Add($"{at}:Source:Engine '{source.Engine}' is not one of sqlserver, postgres, sqlite.");
                }

                if (source.PageSize is < 1 or > 100_000)
                {
                    errors.Add($"{at}:Source:PageSize must be between 1 and 100000.");
                }
            }

            if (!Links.UrlField.All.Contains(campaign.UrlField))
            {
                errors.Add($"{at}:UrlField '{campaign.UrlField}' is not one of {string.Join(", ", Links.UrlField.All)}.");
            }
            else if (campaign.UrlField == Links.UrlField.Download && string.IsNullOrWhiteSpace(options.Storage.Folder))
            {
                errors.Add($"{at}:UrlField is 'download' but Storage:Folder is not set: name the folder the videos go to.");
            }

            if (campaign.KeyComparison is { } comparison && !Campaigns.RecipientKeys.Comparisons.Contains(comparison, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{at}:KeyComparison '{comparison}' is not one of {string.Join(", ", Campaigns.RecipientKeys.Comparisons)} (unset: trimmed, and email for e-mail addresses).");
            }

            foreach (var code in campaign.AcceptProblems.Where(c => !Scripts.SuspiciousValue.Codes.Contains(c, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"{at}:AcceptProblems '{code}' is not a problem that can be accepted: use {string.Join(", ", Scripts.SuspiciousValue.Codes)}.");
            }

            if (!(campaign.WordsPerMinute is >= 30 and <= 400))
            {
                errors.Add($"{at}:WordsPerMinute {campaign.WordsPerMinute} is not a speaking pace: use 30 to 400 (150 is typical).");
            }

            if (!(campaign.CreditsPerMinute >= 0))
            {
                errors.Add($"{at}:CreditsPerMinute {campaign.CreditsPerMinute} must be 0 or more.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
