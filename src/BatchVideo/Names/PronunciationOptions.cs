namespace BatchVideo.Names;

/// <summary>
/// <c>Campaigns:&lt;name&gt;:Pronunciations</c>: respellings that replace a name in what is spoken (the script or
/// prompt sent to HeyGen, the speech preview), never in what is shown or written back (the title, the review page, the CRM).
/// </summary>
public sealed class PronunciationOptions
{
    /// <summary>
    /// A CSV file of <c>value,spoken</c> lines (a header line <c>value,spoken</c> is allowed), path relative to the
    /// configuration file: every cell of a <c>Pronounce</c> column equal to <c>value</c> (white space at the edges
    /// ignored, letter case kept) is spoken as <c>spoken</c>. The listening page copies respellings in this format.
    /// </summary>
    public string? File { get; set; }

    /// <summary>
    /// Per-row phonetic spellings from the source itself: <c>Pronounce</c> column → column holding how that row's
    /// value is spoken (<c>"first_name": "first_name_phonetic"</c>). A non-empty cell wins over the file.
    /// </summary>
    public Dictionary<string, string> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when any respelling is configured.</summary>
    public bool IsSet => !string.IsNullOrWhiteSpace(File) || Columns.Count > 0;
}
