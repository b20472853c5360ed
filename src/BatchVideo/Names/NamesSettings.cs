using BatchVideo.Campaigns;

namespace BatchVideo.Names;

/// <summary>The start-up check of a campaign's <c>Pronounce</c>, <c>PronounceSentence</c> and <c>Pronunciations</c>, every problem with its path.</summary>
public static class NamesSettings
{
    /// <summary>Adds to <paramref name="errors"/> each problem of <paramref name="campaign"/>'s name settings (<paramref name="at"/> is <c>Campaigns:&lt;name&gt;</c>).</summary>
    public static void Validate(string at, CampaignOptions campaign, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(errors);
        var listed = campaign.Pronounce.Count > 0 || campaign.PronounceSentence is not null || campaign.Pronunciations.IsSet;
        if (listed && campaign.Type == VideoTypes.CinematicAvatar)
        {
            errors.Add($"{at}:Pronounce and Pronunciations cannot be used with cinematic_avatar: its clips have no spoken voice.");
        }

        if (campaign.Pronounce.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{at}:Pronounce has an empty column name.");
        }

        if (campaign.PronounceSentence is { } sentence)
        {
            try
            {
                Scripts.ScriptTemplate.Parse(sentence, $"{at}:PronounceSentence");
            }
            catch (Scripts.TemplateException e)
            {
                errors.Add(e.Message);
            }
        }

        var options = campaign.Pronunciations;
        if (options.File is { Length: > 0 } file && !File.Exists(file))
        {
            errors.Add($"{at}:Pronunciations:File '{file}' does not exist: make it with lines of value,spoken, or copy them from the listening page of 'batchvideo names'.");
        }

        foreach (var column in options.Columns.Keys.Where(c => !campaign.Pronounce.Contains(c, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"{at}:Pronunciations:Columns:{column} respells a column that {at}:Pronounce does not list; add \"{column}\" to Pronounce.");
        }
    }
}
