using BatchVideo.Ledger;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>What the rows a run would send are likely to cost.</summary>
/// <param name="Videos">Rows that would be sent (new, resumed, or retried with --retry-failed).</param>
/// <param name="Minutes">Their estimated total length.</param>
/// <param name="Credits">Their estimated cost, in the account's unit.</param>
public sealed record CreditEstimate(long Videos, double Minutes, double Credits)
{
    /// <summary>Minutes of speech in <paramref name="script"/> at <paramref name="wordsPerMinute"/>.</summary>
    public static double MinutesOf(string script, double wordsPerMinute) => CountWords(script) / wordsPerMinute;

    /// <summary>The estimated cost of one video.</summary>
    public static double CreditsOf(string script, CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return MinutesOf(script, campaign.WordsPerMinute) * campaign.CreditsPerMinute;
    }

    /// <summary>
    /// Reads the source once more and prices every row the run would send, as the producer would sort
    /// them: valid, not a duplicate, not done or following in the ledger, and rendering cleanly.
    /// </summary>
    internal static async Task<CreditEstimate> OfRunAsync(PreparedRun run, LedgerStore ledger, CancellationToken ct)
    {
        var keyIndex = run.Source.Columns.ToList().IndexOf(run.Source.KeyColumn);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<SourceRow>();
        long videos = 0;
        double minutes = 0;

        async Task PriceAsync()
        {
            // A dry run over a ledger that does not exist yet must not create it: every row is new then.
            var entries = run.HasLedger
                ? await ledger.GetAsync(run.Campaign, [.. batch.Select(r => r.Key(keyIndex))], ct)
                : [];
            foreach (var row in batch)
            {
                var key = row.Key(keyIndex);
                var entry = entries.GetValueOrDefault(key);
                var sends = entry?.State switch
                {
                    null => row.RecordedVideoId is null,
                    LedgerState.Submitting => true,
                    LedgerState.Failed => run.Request.RetryFailed || entry.VideoStatus == LedgerState.Refused,
                    _ => false,
                };
                if (sends && run.Renderer.Render(row.Values, key, run.Campaign) is { Problem: null, Script: { } script })
                {
                    videos++;
                    minutes += MinutesOf(script, run.Options.WordsPerMinute);
                }
            }

            batch.Clear();
        }

        await foreach (var row in run.Source.ReadRowsAsync(ct))
        {
            if (row.Problem is null && row.Key(keyIndex) is { Length: > 0 } key && seen.Add(key))
            {
                batch.Add(row);
                if (batch.Count == 256)
                {
                    await PriceAsync();
                }
            }
        }

        await PriceAsync();
        return new CreditEstimate(videos, minutes, minutes * run.Options.CreditsPerMinute);
    }

    private static int CountWords(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                words++;
            }

            inWord = !space;
        }

        return words;
    }
}
