namespace BatchVideo.Reports;

/// <summary>Where run and validate reports go.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>Folder of the reports; relative to the configuration file's folder.</summary>
    public string Folder { get; set; } = "reports";

    /// <summary>
    /// Most rows a review page lists (the first ones in source order); a browser handles a few thousand
    /// rows with a player each well, not millions. The JSON report and the rejects CSV stay complete.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int ReviewRows { get; set; } = 5000;
}
