using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>The configured campaigns: section root of appsettings.json.</summary>
public sealed class BatchVideoOptions
{
    /// <summary>The campaign a run uses when none is named.</summary>
    public string? DefaultCampaign { get; set; }

    public Dictionary<string, CampaignOptions> Campaigns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Folder that relative paths resolve against: the configuration file's folder.</summary>
    public string BaseDirectory { get; set; } = Directory.GetCurrentDirectory();

    public (string Name, CampaignOptions Campaign) Resolve(string? name)
    {
        name ??= DefaultCampaign;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ConfigurationException(
                $"No campaign named: pass --campaign or set DefaultCampaign. Configured: {string.Join(", ", Campaigns.Keys)}.");
        }

        return Campaigns.TryGetValue(name, out var campaign)
            ? (Campaigns.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)), campaign)
            : throw new ConfigurationException(
                $"Campaign '{name}' is not configured. Configured: {string.Join(", ", Campaigns.Keys)}.");
    }
}

/// <summary>One campaign: the template and the fixed avatar and voice every row of it gets.</summary>
public sealed class CampaignOptions
{
    public static readonly IReadOnlySet<string> AspectRatios = new HashSet<string>(StringComparer.Ordinal) { "16:9", "9:16", "4:5", "5:4", "1:1", "auto" };
    public static readonly IReadOnlySet<string> Resolutions = new HashSet<string>(StringComparer.Ordinal) { "4k", "1080p", "720p" };

    /// <summary>Scriban template of the spoken script (path, relative to the configuration file).</summary>
    public string Template { get; set; } = "";

    /// <summary>Scriban text of the video title; a recipient marker is always appended.</summary>
    public string? TitleTemplate { get; set; }

    public string AvatarId { get; set; } = "";

    public string VoiceId { get; set; } = "";

    public string AspectRatio { get; set; } = "16:9";

    public string Resolution { get; set; } = "1080p";

    /// <summary>The column that identifies a recipient; --key overrides it.</summary>
    public string KeyColumn { get; set; } = "id";

    /// <summary>Columns a template may read while empty (all others reject the row when empty).</summary>
    public List<string> OptionalColumns { get; set; } = [];

    public WriteBackColumns Columns { get; set; } = new();

    /// <summary>Speaking pace for estimating video length before paying: 150 is a calm presenter.</summary>
    public double WordsPerMinute { get; set; } = 150;

    /// <summary>HeyGen credits per video minute, for estimates only; HeyGen bills at the plan's real price.</summary>
    public double CreditsPerMinute { get; set; } = 1;
}

/// <summary>A configuration that cannot work: reported at start, before any request (exit code 2).</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
