namespace BatchVideo.Campaigns;

/// <summary>
/// What a set of scripts is likely to cost, from their words at the campaign's speaking pace. An
/// estimate: HeyGen bills the real length of each rendered video at the plan's price.
/// </summary>
public sealed record VideoEstimate(long Videos, long Words, double WordsPerMinute, double CreditsPerMinute)
{
    public double Minutes => WordsPerMinute > 0 ? Words / WordsPerMinute : 0;

    public double Credits => Minutes * CreditsPerMinute;

    /// <summary>The unit of <see cref="CreditsPerMinute"/> and <see cref="Credits"/>: <c>credits</c>, or <c>usd</c> for a USD wallet.</summary>
    public string Unit { get; init; } = "credits";

    /// <summary>Spoken words: runs of non-whitespace, as a text-to-speech voice would read them.</summary>
    public static int CountWords(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var words = 0;
        var inWord = false;
        foreach (var c in script)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord)
            {
                words++;
            }

            inWord = !isSpace;
        }

        return words;
    }
}
