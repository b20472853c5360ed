using BatchVideo.Ledger;

namespace BatchVideo.Campaigns;

/// <summary>Rows' own looks and voices: checked once each before the first create, and the rows HeyGen cannot take rejected.</summary>
public sealed partial class CampaignRunner
{
    /// <summary>
    /// Reads the rows this run would send once more (the same <see cref="RowClassifier"/> verdicts), asks HeyGen
    /// about every distinct look and voice they choose, once each, and keeps the ones it refuses: their rows are
    /// rejected, with line, column and value, instead of being sent.
    /// </summary>
    private async Task CheckRowChoicesAsync(RunState state)
    {
        var (looks, voices) = await RefusedChoices.DistinctAsync(new RowClassifier(state.Run, ledger, time, state.Holder), state.Token);
        state.RefusedChoices = await preflight.CheckChoicesAsync(state.Run.Options, looks, voices, state.Token);
        LogChoicesChecked(logger, looks.Count, voices.Count, state.RefusedChoices.Count);
    }

    private async Task RejectChoiceAsync(RunState state, Submission submission, RowReport problem)
    {
        Reject(state, problem);
        if (submission.Row is { } row)
        {
            state.Report.Rejects.Add(row, problem);
        }

        // A table row this worker claimed is handed back as rejected, as a row that does not render is.
        if (submission.Entry is { State: LedgerState.Claimed } && !state.Run.Request.DryRun)
        {
            await ledger.MarkRejectedAsync(state.Run.Campaign, submission.Key, state.Holder, problem.Reason, CancellationToken.None);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "Pre-flight: {Looks} distinct looks and {Voices} distinct voices chosen by rows, {Refused} refused")]
    private static partial void LogChoicesChecked(Microsoft.Extensions.Logging.ILogger logger, int looks, int voices, int refused);
}

/// <summary>The looks and voices rows chose that HeyGen refused in the pre-flight, with why; asks which rows they reject.</summary>
public sealed class RefusedChoices(IReadOnlyDictionary<string, string> looks, IReadOnlyDictionary<string, string> voices, Sources.WriteBackColumns columns)
{
    public int Count => looks.Count + voices.Count;

    /// <summary>Every distinct look and voice the rows to send choose, from one pass over the row decisions.</summary>
    internal static async Task<(HashSet<string> Looks, HashSet<string> Voices)> DistinctAsync(RowClassifier classifier, CancellationToken ct)
    {
        var looks = new HashSet<string>(StringComparer.Ordinal);
        var voices = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var verdict in classifier.ClassifyAsync(ct))
        {
            if (verdict is { Fate: RowFate.Ready, Rendered.Choices: { } choices })
            {
                if (choices.Look is { } look)
                {
                    looks.Add(look);
                }

                if (choices.Voice is { } voice)
                {
                    voices.Add(voice);
                }
            }
        }

        return (looks, voices);
    }

    /// <summary>The rejection of <paramref name="submission"/>'s row when its look or voice was refused; else null.</summary>
    internal RowReport? Refusal(Submission submission) => Refusal(submission.Line, submission.Key, submission.Rendered.Choices);

    /// <summary>The rejection of the row at <paramref name="line"/> when its look or voice was refused; else null.</summary>
    internal RowReport? Refusal(long line, string key, RowChoices? choices)
    {
        if (choices?.Look is { } look && looks.TryGetValue(look, out var whyLook))
        {
            return new RowReport(RowOutcome.Rejected, line, key, columns.Look, $"look '{look}' in column {columns.Look}: {whyLook}") { Code = "unknown_look" };
        }

        if (choices?.Voice is { } voice && voices.TryGetValue(voice, out var whyVoice))
        {
            return new RowReport(RowOutcome.Rejected, line, key, columns.Voice, $"voice '{voice}' in column {columns.Voice}: {whyVoice}") { Code = "unknown_voice" };
        }

        return null;
    }
}
