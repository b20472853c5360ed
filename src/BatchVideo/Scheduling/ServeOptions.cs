using System.ComponentModel.DataAnnotations;

namespace BatchVideo.Scheduling;

/// <summary>How <c>batchvideo serve</c> schedules campaigns (section Scheduling): the job store, the time zone, the completion pass.</summary>
public sealed class ServeOptions
{
    public const string Section = "Scheduling";

    /// <summary>memory (one machine, nothing to set up), postgres or sqlserver (a cluster of machines).</summary>
    public string JobStore { get; set; } = "memory";

    /// <summary>For a database job store; by default the ledger's connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Time zone of the campaigns' cron schedules (IANA or Windows id); default UTC.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How often the completion job follows the videos in flight and writes them back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CompletionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether the completion job asks HeyGen about each video in flight. Turn it off when registered
    /// webhooks report every video: the job then only writes back what the webhooks recorded.
    /// </summary>
    public bool PollInFlight { get; set; } = true;

    /// <summary>How often a cluster node says it is alive; a node silent for longer than a few of these is presumed dead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How late a fire may be before it counts as missed; a missed campaign fire runs once, not once per miss.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The scheduler's name: every node of one cluster uses the same.</summary>
    public string InstanceName { get; set; } = "batchvideo";

    public bool IsPersistent => !string.Equals(JobStore, "memory", StringComparison.OrdinalIgnoreCase);
}
