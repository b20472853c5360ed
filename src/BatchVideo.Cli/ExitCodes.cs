namespace BatchVideo.Cli;

/// <summary>The process exit codes, for cron and CI callers.</summary>
internal static class ExitCodes
{
    /// <summary>Every row done.</summary>
    public const int Success = 0;

    /// <summary>Some rows were rejected, failed, or are left for a rerun; all are reported.</summary>
    public const int RowsNeedAttention = 1;

    /// <summary>Usage or configuration error, found before any request was sent.</summary>
    public const int Usage = 2;

    /// <summary>An unexpected failure (a bug): one line on the console, the detail in a log file beside the reports.</summary>
    public const int Unexpected = 1;
}
