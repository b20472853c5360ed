using BatchVideo.Campaigns;
using BatchVideo.Scripts;

namespace BatchVideo.Pages;

/// <summary>
/// Renders a campaign's page texts (<c>Pages:Heading</c>, <c>CtaText</c>, <c>CtaUrl</c>) from one row, in the same
/// Scriban sandbox and with the same variables as the script (every column, <c>row["…"]</c>, <c>key</c>,
/// <c>campaign</c>, the campaign's defaults), and reads the recipient's name from <c>Pages:NameColumn</c>. Every
/// column may be empty here: a text that renders empty, or that cannot render from this row, is left out of the
/// page rather than holding the row back.
/// </summary>
public sealed class PageTextRenderer
{
    /// <summary>Longest page text kept: a heading, a button's words or an address, not an essay.</summary>
    public const int MaxLength = 2000;

    /// <summary>Longest name kept (characters, UTF-16 code units): a name for a notification line, not a cell's whole text.</summary>
    public const int MaxNameLength = 200;

    private readonly ScriptRenderer? heading;
    private readonly ScriptRenderer? ctaText;
    private readonly ScriptRenderer? ctaUrl;
    private readonly int nameIndex;

    private PageTextRenderer(ScriptRenderer? heading, ScriptRenderer? ctaText, ScriptRenderer? ctaUrl, int nameIndex)
    {
        this.heading = heading;
        this.ctaText = ctaText;
        this.ctaUrl = ctaUrl;
        this.nameIndex = nameIndex;
    }

    /// <summary>The renderer of a campaign with pages and at least one page text or a name column; null otherwise.</summary>
    /// <exception cref="ConfigurationException">
    /// A page template reads a variable that no column of the source provides, or <c>Pages:NameColumn</c> is not a column of it.
    /// </exception>
    public static PageTextRenderer? For(string name, CampaignOptions campaign, IReadOnlyList<string> columns, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(columns);
        var pages = campaign.Pages;
        if (!pages.Enabled || (pages.Heading is null && pages.CtaText is null && pages.CtaUrl is null && pages.NameColumn is null))
        {
            return null;
        }

        ScriptRenderer? Make(string? text, string setting)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var path = $"Campaigns:{name}:Pages:{setting}";
            var renderer = new ScriptRenderer(ScriptTemplate.Parse(text, path), null, columns, columns, campaign.Defaults, MaxLength)
            {
                AcceptedProblems = campaign.AcceptProblems.ToHashSet(StringComparer.OrdinalIgnoreCase),
            };
            if (renderer.UnknownVariables() is { Count: > 0 } unknown)
            {
                throw new ConfigurationException(
                    $"{string.Join(", ", unknown.Select(v => $"'{v}'"))} used by {path} {(unknown.Count == 1 ? "is" : "are")} not a column of {sourceName}. Its columns are: {string.Join(", ", columns)}.");
            }

            return renderer;
        }

        return new PageTextRenderer(Make(pages.Heading, "Heading"), Make(pages.CtaText, "CtaText"), Make(pages.CtaUrl, "CtaUrl"), NameIndex(name, pages.NameColumn, columns, sourceName));
    }

    /// <summary>The texts of one row; a button only with both its words and an address a page may link to.</summary>
    public PageTexts Render(IReadOnlyList<string> values, string key, string campaign)
    {
        ArgumentNullException.ThrowIfNull(values);
        var words = One(ctaText, values, key, campaign);
        var address = PageHtml.SafeLink(One(ctaUrl, values, key, campaign));
        var texts = words is null || address is null
            ? new PageTexts(One(heading, values, key, campaign), null, null)
            : new PageTexts(One(heading, values, key, campaign), words, address);
        return nameIndex >= 0 && nameIndex < values.Count ? texts with { Name = RecipientName(values[nameIndex]) } : texts;
    }

    /// <summary>
    /// A cell as a name for a notification line: trimmed, inner line breaks and control characters as spaces, at most
    /// <see cref="MaxNameLength"/> characters (never half a surrogate pair); null when nothing is left.
    /// </summary>
    public static string? RecipientName(string? cell)
    {
        if (cell is null || Sources.CellText.IsBlank(cell))
        {
            return null;
        }

        var text = string.Concat(Sources.CellText.Clean(cell).Select(c => char.IsControl(c) ? ' ' : c));
        if (text.Length > MaxNameLength)
        {
            text = text[..(char.IsHighSurrogate(text[MaxNameLength - 1]) ? MaxNameLength - 1 : MaxNameLength)].TrimEnd();
        }

        return text;
    }

    /// <summary>The index of <c>Pages:NameColumn</c> among the source's columns (exact, else the one differing only in case); -1 when not set.</summary>
    private static int NameIndex(string campaign, string? column, IReadOnlyList<string> columns, string sourceName)
    {
        if (string.IsNullOrWhiteSpace(column))
        {
            return -1;
        }

        var exact = columns.ToList().FindIndex(c => string.Equals(c, column, StringComparison.Ordinal));
        var folded = columns.Select((c, i) => (c, i)).Where(x => string.Equals(x.c, column.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        return exact >= 0 ? exact
            : folded.Count == 1 ? folded[0].i
            : folded.Count > 1 ? throw new ConfigurationException(
                $"Campaigns:{campaign}:Pages:NameColumn '{column}' matches {folded.Count} columns of {sourceName} that differ only in case ({string.Join(", ", folded.Select(f => f.c))}); write it exactly as one of them.")
            : throw new ConfigurationException(
                $"Campaigns:{campaign}:Pages:NameColumn '{column}' is not a column of {sourceName}. Its columns are: {string.Join(", ", columns)}.");
    }

    private static string? One(ScriptRenderer? renderer, IReadOnlyList<string> values, string key, string campaign) =>
        renderer?.Render(values, key, campaign) is { Problem: null, Script: { Length: > 0 } text } ? text : null;
}

/// <summary>
/// Collects the page texts of the rows a run reads (those with a video, or about to have one) and stores them in
/// batches, so a page's heading and button follow the CRM from run to run.
/// </summary>
public sealed class PageTextRecorder(PageTextRenderer renderer, Ledger.LedgerStore ledger, string campaign)
{
    private const int Batch = 500;

    private readonly Dictionary<string, PageTexts> pending = new(StringComparer.Ordinal);

    /// <summary>Renders the row's texts for <paramref name="key"/>; stores a batch when one is full.</summary>
    public async Task AddAsync(string key, IReadOnlyList<string> values, CancellationToken ct)
    {
        pending[key] = renderer.Render(values, key, campaign);
        if (pending.Count >= Batch)
        {
            await FlushAsync(ct);
        }
    }

    /// <summary>Stores what is collected.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (pending.Count > 0)
        {
            await ledger.SetPageTextsAsync(campaign, pending, ct);
            pending.Clear();
        }
    }
}
