namespace BatchVideo.Reports;

/// <summary>Where run and validate reports go.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>Folder of the reports; relative to the configuration file's folder.</summary>
    public string Folder { get; set; } = "reports";
}
