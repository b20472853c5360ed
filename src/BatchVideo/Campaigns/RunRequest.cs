using BatchVideo.HeyGen;
using BatchVideo.Scripts;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>What an operator asked for: a campaign, a source, and how far to go.</summary>
/// <param name="OpenSource">
/// Opens the source once the key column and write-back columns are known; null runs the campaign's
/// configured table source.
/// </param>
public sealed record RunRequest(string? Campaign, string? KeyColumn, Func<string, WriteBackColumns, IRecipientSource>? OpenSource)
{
    /// <summary>Return once every row is submitted; a later run follows the videos and writes them back.</summary>
    public bool NoWait { get; init; }

    /// <summary>Send again the rows whose video failed in an earlier run (a new, paid attempt).</summary>
    public bool RetryFailed { get; init; }

    /// <summary>
    /// Stop submitting once the estimated spend of this run would pass this much, in the account's unit (USD
    /// for a USD wallet, else credits); the rest stay pending. CLI: <c>--max-spend</c> (alias <c>--max-credits</c>).
    /// </summary>
    public double? MaxCredits { get; init; }

    /// <summary>No create is sent after this instant (a campaign's <c>SubmitUntil</c>); rows not sent stay pending.</summary>
    public DateTimeOffset? SubmitUntil { get; init; }

    /// <summary>Everything but the creates: no ledger claim or write, no write-back, nothing paid.</summary>
    public bool DryRun { get; init; }

    /// <summary>Send only the first this-many rows that would be sent (a sample to review and approve).</summary>
    public int? Sample { get; init; }

    /// <summary>Send only the rows of these keys (a sample of chosen recipients).</summary>
    public IReadOnlyList<string>? SampleKeys { get; init; }

    /// <summary>
    /// Writes a <c>batchvideo</c> command named in a message (verb, then its arguments) as the operator can
    /// paste it: the CLI adds the options of the command running now (<c>--sandbox</c>, <c>--config</c>).
    /// </summary>
    public Func<string, string[], string> Command { get; init; } = (verb, arguments) => string.Join(' ', ["batchvideo", verb, .. arguments]);
}

/// <summary>A run whose configuration, templates, source header and ledger were all checked.</summary>
public sealed record PreparedRun(
    string Campaign,
    CampaignOptions Options,
    IRecipientSource Source,
    ScriptRenderer Renderer,
    RunRequest Request)
{
    /// <summary>False when a read-only run found no ledger yet: every recipient is new, and nothing creates one.</summary>
    public bool HasLedger { get; init; } = true;

    /// <summary>How many rows this run may send (a sample, or none before approval); null: every row.</summary>
    public SendGate? Gate { get; init; }

    /// <summary>The run's stages (file or table, sends, follows, writes back), decided once from the request.</summary>
    public RunPlan Plan => RunPlan.Of(Request, Source);

    /// <summary>Reads each row's own look, voice, background… (<c>Columns:Look</c> and the others); null when none is mapped.</summary>
    public RowChoiceReader? Choices { get; init; }

    /// <summary>The campaign's respellings (<c>Pronunciations</c>); null when it has none.</summary>
    public Names.Respellings? Respellings { get; init; }
    /// <summary>The campaign's video type, resolved once when the run is prepared.</summary>
    public Types.VideoType VideoType { get; init; } = VideoTypes.Of(Options);

    /// <summary>A <c>template</c> campaign's HeyGen template, read once for the run and checked against its <c>Variables</c>; null for the other types.</summary>
    public Types.TemplateBinding? Template { get; init; }

    /// <summary>Renders one row as the campaign's type does (a script file, or a template's variables).</summary>
    public Scripts.RenderResult Render(IReadOnlyList<string> values, string key) => VideoType.Render(this, values, key);
    /// <summary>
    /// Where the campaign's recipient pages are (<c>Pages:PublicBaseUrl</c>) when it has them (<c>Campaigns:&lt;name&gt;:Pages:Enabled</c>);
    /// null: no pages, and the page columns stay empty.
    /// </summary>
    public Uri? PagesAt { get; init; }

    /// <summary>The USD price table, for pricing the run on a USD wallet.</summary>
    public PricingOptions Pricing { get; init; } = new();

    /// <summary>Renders the rows' page texts; null when the campaign has no pages or no page texts.</summary>
    public Pages.PageTextRenderer? PageTexts { get; init; }

    /// <summary>
    /// The recipient key of a source value, as the duplicate check and the ledger compare it
    /// (<see cref="RecipientKeys.Normalize"/>); a CRM table's keys are its own and only trimmed, as always.
    /// </summary>
    public string KeyOf(string value) =>
        Source is BatchVideo.Sources.Tables.ITableSource ? value.Trim() : RecipientKeys.Normalize(value, Options.KeyComparison);

    /// <summary>
    /// Write-back values of source keys (as written) from the ledger's entries (keyed as compared) and, when the
    /// campaign has pages, the recipient pages of the batch's completed entries (read with the batch, not before it).
    /// </summary>
    internal WriteBackLookup LookupIn(
        BatchVideo.Ledger.LedgerStore ledger, Func<BatchVideo.Ledger.LedgerEntry, Pages.RecipientPages?, WriteBackValues> values, Pages.CampaignPages? pages = null) =>
        async (keys, ct) =>
        {
            var entries = await ledger.GetAsync(Campaign, [.. keys.Select(KeyOf).Distinct(StringComparer.Ordinal)], ct);
            var shown = pages is null
                ? null
                : await pages.OfAsync([.. entries.Values.Where(e => e.State == BatchVideo.Ledger.LedgerState.Completed).Select(e => e.RecipientKey)], ct);
            var found = new Dictionary<string, WriteBackValues>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (entries.TryGetValue(KeyOf(key), out var entry))
                {
                    found[key] = values(entry, shown);
                }
            }

            return found;
        };

    /// <summary>The create this run sends for one recipient, for the campaign's video type (<see cref="VideoRequests"/>).</summary>
    public VideoCreate CreateRequest(string key, RenderResult rendered, Uri? callbackUrl) =>
        VideoRequests.Build(this, key, rendered, callbackUrl);
}
