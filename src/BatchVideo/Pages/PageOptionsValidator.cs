using BatchVideo.Scripts;
using BatchVideo.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BatchVideo.Pages;

/// <summary>
/// Checks recipient pages at start, every problem at once with its setting's path: the public address (absolute,
/// <c>https</c>, or <c>http</c> on loopback only), that a campaign with pages has one, and each campaign's page
/// templates and name column. The campaigns are read from the configuration itself, so a problem elsewhere in a
/// campaign cannot hide these.
/// </summary>
public sealed class PageOptionsValidator(IConfiguration configuration) : IValidateOptions<PagesOptions>
{
    public ValidateOptionsResult Validate(string? name, PagesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.PublicBaseUrl is { } url && Problem(url) is { } problem)
        {
            errors.Add($"Pages:PublicBaseUrl is '{url.OriginalString}'{SettingSource.Describe(configuration, "Pages:PublicBaseUrl")}: {problem}");
        }

        foreach (var campaign in configuration.GetSection("Campaigns").GetChildren())
        {
            var at = $"Campaigns:{campaign.Key}:Pages";
            var pages = campaign.GetSection("Pages").Get<CampaignPageOptions>() ?? new CampaignPageOptions();
            if (pages.Enabled && options.PublicBaseUrl is null)
            {
                errors.Add($"{at}:Enabled is true but Pages:PublicBaseUrl is not set: name the public https address recipients open pages at (serve answers <address>/v/<token>), or turn the campaign's pages off.");
            }

            if (string.IsNullOrWhiteSpace(pages.CtaText) != string.IsNullOrWhiteSpace(pages.CtaUrl))
            {
                errors.Add($"{at}: CtaText and CtaUrl go together (a button needs its words and its address); set both or neither.");
            }

            // Whether the column exists is known only once the source is open: PageTextRenderer.For checks it then.
            if (pages.NameColumn is { } nameColumn && string.IsNullOrWhiteSpace(nameColumn))
            {
                errors.Add($"{at}:NameColumn is blank: name the source column that holds the recipient's name (e.g. first_name), or remove the setting.");
            }

            foreach (var (key, text) in new[] { ("Heading", pages.Heading), ("CtaText", pages.CtaText), ("CtaUrl", pages.CtaUrl) })
            {
                if (text is { Length: > 0 } && ParseProblem(text, $"{at}:{key}") is { } broken)
                {
                    errors.Add(broken);
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Why <paramref name="url"/> cannot be a public page address, or null.</summary>
    public static string? Problem(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "it must be an absolute address such as https://video.example.com.";
        }

        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            return "recipients would open their pages over plain http; use https (http is allowed on localhost or 127.0.0.1 only, for trying).";
        }

        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            return "it must be an https address.";
        }

        return url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0
            ? "it must be a plain address, without a query, a fragment or a user name."
            : null;
    }

    private static string? ParseProblem(string text, string path)
    {
        try
        {
            ScriptTemplate.Parse(text, path);
            return null;
        }
        catch (TemplateException e)
        {
            return e.Message;
        }
    }
}

/// <summary>Registers recipient pages' options, validated at start.</summary>
public static class PageRegistration
{
    public static void AddRecipientPages(this Microsoft.Extensions.DependencyInjection.IServiceCollection services, SettingsCheck.Result check)
    {
        ArgumentNullException.ThrowIfNull(check);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IValidateOptions<PagesOptions>>(services, new PageOptionsValidator(check.Configuration));
        services.AddCheckedOptions<PagesOptions>(check, PagesOptions.Section);
    }
}
