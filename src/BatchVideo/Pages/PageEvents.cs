namespace BatchVideo.Pages;

/// <summary>The beacons a recipient page's script sends, as the beacon route takes them.</summary>
public static class PageEvents
{
    /// <summary>The page's script ran: a view. A fetch that runs no script never sends it.</summary>
    public const string Opened = "opened";

    /// <summary>The video started playing.</summary>
    public const string Play = "play";

    /// <summary>Playback passed a mark of <see cref="ProgressMarks"/>.</summary>
    public const string Progress = "progress";

    /// <summary>The call-to-action button was clicked.</summary>
    public const string Cta = "cta";

    public static IReadOnlyList<string> Kinds { get; } = [Opened, Play, Progress, Cta];

    /// <summary>The progress marks a page reports, in percent of the video's length.</summary>
    public static IReadOnlyList<int> ProgressMarks { get; } = [25, 50, 75, 100];

    /// <summary>Whether a beacon is one the ledger records: a known kind, and a mark with (only) a progress beacon.</summary>
    public static bool IsValid(string? kind, int? percent) => kind switch
    {
        Progress => percent is { } mark && ProgressMarks.Contains(mark),
        Opened or Play or Cta => percent is null,
        _ => false,
    };
}
