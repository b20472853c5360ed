using BatchVideo.Ledger;

namespace BatchVideo.Campaigns;

/// <summary>What the rows a run would send are likely to cost.</summary>
public static class CreditEstimate
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
    /// Reads the source once more and prices every row the run would send (new, resumed, or retried with
    /// --retry-failed): a fold over the same <see cref="RowClassifier"/> verdicts the run acts on, so the two
    /// cannot disagree on a ledger state, summed by the same <see cref="RunProgress"/> validate and the run's
    /// summary use, so the figure is theirs to the cent.
    /// </summary>
    /// <param name="holder">The run's worker name, so its own claims count as its to send.</param>
    internal static async Task<VideoEstimate> OfRunAsync(PreparedRun run, LedgerStore ledger, TimeProvider time, string? holder, VideoRate rate, string unit, CancellationToken ct)
    {
        var fold = new RunProgress { RetainProblems = false };
        await foreach (var verdict in new RowClassifier(run, ledger, time, holder).ClassifyAsync(ct))
        {
            if (verdict is { Fate: RowFate.Ready, Rendered.Script: { } script })
            {
                fold.OnWouldSubmit(SpokenLength.Of(script));
            }
        }

        return fold.Estimate(run.Options).PricedAt(rate, unit);
    }
}
