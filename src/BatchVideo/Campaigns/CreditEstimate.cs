using BatchVideo.Ledger;

namespace BatchVideo.Campaigns;

/// <summary>What the rows a run would send are likely to cost.</summary>
/// <param name="Videos">Rows that would be sent (new, resumed, or retried with --retry-failed).</param>
/// <param name="Minutes">Their estimated total length.</param>
/// <param name="Credits">Their estimated cost, in the account's unit.</param>
public sealed record CreditEstimate(long Videos, double Minutes, double Credits)
{
    /// <summary>Minutes of speech in <paramref name="script"/>: its words at <paramref name="wordsPerMinute"/>, its unspaced characters at their rate (<see cref="SpokenLength"/>).</summary>
    public static double MinutesOf(string script, double wordsPerMinute) => SpokenLength.Of(script).MinutesAt(wordsPerMinute);

    /// <summary>The estimated cost of one video.</summary>
    public static double CreditsOf(string script, CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return MinutesOf(script, campaign.WordsPerMinute) * campaign.CreditsPerMinute;
    }

    /// <summary>
    /// Reads the source once more and prices every row the run would send: a fold over the same
    /// <see cref="RowClassifier"/> verdicts the run acts on, so the two cannot disagree on a ledger state.
    /// </summary>
    /// <param name="holder">The run's worker name, so its own claims count as its to send.</param>
    internal static async Task<CreditEstimate> OfRunAsync(PreparedRun run, LedgerStore ledger, TimeProvider time, string? holder, CancellationToken ct)
    {
        long videos = 0;
        double minutes = 0;
        await foreach (var verdict in new RowClassifier(run, ledger, time, holder).ClassifyAsync(ct))
        {
            if (verdict is { Fate: RowFate.Ready, Rendered.Script: { } script })
            {
                videos++;
                minutes += VideoRequests.MinutesOf(run.Options, script);
            }
        }

        return new CreditEstimate(videos, minutes, minutes * run.Options.CreditsPerMinute);
    }
}
