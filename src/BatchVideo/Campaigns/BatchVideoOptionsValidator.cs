using Microsoft.Extensions.Options;

namespace BatchVideo.Campaigns;

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
            if (VideoTypes.Find(campaign.Type) is { UsesScriptFile: false })
            {
                // A HeyGen template campaign's text is its Variables (its type's own check).
            }
            else if (string.IsNullOrWhiteSpace(campaign.Template))
            {
                errors.Add($"{at}:Template is missing: name the Scriban file of the script.");
            }
            else if (!File.Exists(campaign.Template))
            {
                errors.Add($"{at}:Template '{campaign.Template}' does not exist.");
            }

            VideoTypes.Validate(at, campaign, errors);
            Names.NamesSettings.Validate(at, campaign, errors);

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

            if (!Enum.IsDefined(campaign.UrlField))
            {
                errors.Add($"{at}:UrlField '{campaign.UrlField}' is not one of page, signed, download.");
            }
            else if (WriteBack.WriteBackLink.StoresFiles(campaign) && string.IsNullOrWhiteSpace(options.Storage.Folder))
            {
                errors.Add($"{at}:UrlField is 'download' but Storage:Folder is not set: name the folder the videos go to.");
            }

            if (campaign.KeyComparison is { } comparison && !RecipientKeys.Comparisons.Contains(comparison, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{at}:KeyComparison '{comparison}' is not one of {string.Join(", ", RecipientKeys.Comparisons)} (unset: trimmed, and email for e-mail addresses).");
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
