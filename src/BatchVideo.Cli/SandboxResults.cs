namespace BatchVideo.Cli;

/// <summary>Where a sandbox run writes its results, and how its links are opened later.</summary>
internal static class SandboxResults
{
    /// <summary>
    /// <c>contacts.csv</c> → <c>contacts.sandbox.csv</c> beside it. A sandbox run writes there by default:
    /// a video id in a row marks the row done for every later run, and a sandbox video is not a video.
    /// A file that already is such a copy is written in place.
    /// </summary>
    public static string CopyOf(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var name = Path.GetFileNameWithoutExtension(csv);
        if (name.EndsWith(".sandbox", StringComparison.OrdinalIgnoreCase))
        {
            return csv;
        }

        var folder = Path.GetDirectoryName(csv);
        var file = name + ".sandbox" + Path.GetExtension(csv);
        return string.IsNullOrEmpty(folder) ? file : Path.Combine(folder, file);
    }

    /// <summary>
    /// The summary's line on opening the links a sandbox run wrote: the account served alone, or, for a campaign with
    /// recipient pages (<paramref name="pagesAt"/>), serve with the sandbox on the pages' address, which serves both.
    /// </summary>
    public static string LinksNote(Uri account, string writtenTo, Uri? pagesAt = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (pagesAt is not null)
        {
            var pages = pagesAt.GetLeftPart(UriPartial.Authority);
            var serveWithPages = pagesAt.IsLoopback && account.Port != pagesAt.Port
                ? NextCommand.For("serve", "--sandbox", "--urls", pages)
                : NextCommand.For("serve", "--sandbox");
            return $"The recipient pages in {writtenTo} open at {pages}/v/… while serve runs with the sandbox account; this serves both until Ctrl+C:{Environment.NewLine}  {serveWithPages}";
        }

        var serve = account.Port == SandboxSession.AccountPort
            ? NextCommand.For("sandbox")
            : NextCommand.For("sandbox", "--port", account.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return $"The sandbox links in {writtenTo} open while the sandbox account is served ({account}); this serves it until Ctrl+C:{Environment.NewLine}  {serve}";
    }
}
