namespace BatchVideo.Campaigns;

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
    internal RowProblem? Refusal(Submission submission) => Refusal(submission.Line, submission.Key, submission.Rendered.Choices);

    /// <summary>The rejection of the row at <paramref name="line"/> when its look or voice was refused; else null.</summary>
    internal RowProblem? Refusal(long line, string key, RowChoices? choices)
    {
        if (choices?.Look is { } look && looks.TryGetValue(look, out var whyLook))
        {
            return new RowProblem(RowOutcome.Rejected, line, key, columns.Look, $"look '{look}' in column {columns.Look}: {whyLook}") { Code = "unknown_look" };
        }

        if (choices?.Voice is { } voice && voices.TryGetValue(voice, out var whyVoice))
        {
            return new RowProblem(RowOutcome.Rejected, line, key, columns.Voice, $"voice '{voice}' in column {columns.Voice}: {whyVoice}") { Code = "unknown_voice" };
        }

        return null;
    }
}
