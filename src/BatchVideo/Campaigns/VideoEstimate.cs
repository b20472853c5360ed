namespace BatchVideo.Campaigns;

/// <summary>
/// What a set of scripts is likely to cost, from their speaking time (<see cref="SpokenLength"/>): words at
/// the campaign's pace, and characters of scripts written without spaces at their own rate. An estimate:
/// HeyGen bills the real length of each rendered video at the plan's price.
/// </summary>
public sealed record VideoEstimate(long Videos, long Words, double WordsPerMinute, double CreditsPerMinute)
{
    /// <summary>Characters of Japanese, Chinese or Thai text, timed by character rather than by word.</summary>
    public long Characters { get; init; }

    /// <summary>The speaking time of <see cref="Characters"/>, in minutes.</summary>
    public double CharacterMinutes { get; init; }

    /// <summary>
    /// Minutes of videos whose length does not follow from a script: a Video Agent video's <c>ExpectedSeconds</c>,
    /// a cinematic clip's <c>Duration</c> (<see cref="VideoRequests.MinutesOf"/>).
    /// </summary>
    public double SetMinutes { get; init; }

    public double Minutes => (WordsPerMinute > 0 ? Words / WordsPerMinute : 0) + CharacterMinutes + SetMinutes;

    /// <summary>A flat price per video in <see cref="Unit"/>, on top of <see cref="CreditsPerMinute"/> (Cinematic Avatar's); 0 for most.</summary>
    public double PricePerVideo { get; init; }

    public double Credits => (Minutes * CreditsPerMinute) + (Videos * PricePerVideo);

    /// <summary>The unit of <see cref="CreditsPerMinute"/> and <see cref="Credits"/>: <c>credits</c>, or <c>usd</c> for a USD wallet.</summary>
    public string Unit { get; init; } = "credits";

    /// <summary>True when the account was not asked (no pre-flight): <see cref="Unit"/> is <see cref="Spend.Assumed(CampaignOptions, PricingOptions)"/>'s.</summary>
    public bool UnitAssumed { get; init; }

    /// <summary>This estimate priced at <paramref name="rate"/> in <paramref name="unit"/>.</summary>
    public VideoEstimate PricedAt(VideoRate rate, string unit, bool assumed = false)
    {
        ArgumentNullException.ThrowIfNull(rate);
        return this with { CreditsPerMinute = rate.PerMinute, PricePerVideo = rate.PerVideo, Unit = unit, UnitAssumed = assumed };
    }

    /// <summary>Spoken words: runs of spaced text, as a text-to-speech voice would read them (unspaced scripts are counted in characters).</summary>
    public static int CountWords(string script) => SpokenLength.Of(script).Words;

    /// <summary>The estimate of one script.</summary>
    public static VideoEstimate Of(string script, CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var length = SpokenLength.Of(script);
        return new VideoEstimate(1, length.Words, campaign.WordsPerMinute, campaign.CreditsPerMinute)
        {
            Characters = length.Characters,
            CharacterMinutes = length.CharacterMinutes,
        };
    }
}
