using System.Collections.Concurrent;
using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using BatchVideo.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Names;

/// <summary>
/// <c>batchvideo names</c>: every distinct name of a campaign heard once, before any video is paid for. The names are
/// gathered (<see cref="NameCollector"/>), the previews the ledger does not hold yet are priced in the account's unit
/// and checked against <c>--max-spend</c> before the first request, then asked for with <c>POST /v3/voices/speech</c>
/// (no render slot: speech is not a video job; the request rate and its 429s are the client pipeline's), kept in the
/// ledger, and the listening page is written.
/// </summary>
public sealed partial class SpeechPreviewer(
    HeyGenClient heyGen,
    LedgerStore ledger,
    IOptions<BatchVideoOptions> options,
    IOptions<HeyGenOptions> heyGenOptions,
    IOptions<ReportOptions> reports,
    TimeProvider time,
    ILogger<SpeechPreviewer> logger)
{
    /// <summary>Gathers, prices, asks for and records the previews of <paramref name="run"/>'s names, and writes the listening page.</summary>
    /// <param name="maxSpend">The most the previews may cost, in the account's unit; null: no limit.</param>
    /// <exception cref="ConfigurationException">A name setting cannot work (no <c>Pronounce</c> column, no voice, <c>--max-spend</c> not above 0).</exception>
    public async Task<NamesOutcome> RunAsync(PreparedRun run, double? maxSpend, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (maxSpend is { } budget && !(budget > 0))
        {
            throw new ConfigurationException("--max-spend must be a number above 0.");
        }

        var names = await NameCollector.CollectAsync(run, ct);
        var needed = names.DistinctPreviews;
        var cached = await ledger.GetSpeechPreviewsAsync([.. needed.Select(n => n.PreviewKey)], ct);
        var toAsk = needed.Where(n => !cached.ContainsKey(n.PreviewKey)).ToList();
        var seconds = toAsk.Sum(n => EstimatedSeconds(n, run.Options.WordsPerMinute));
        SpeechEstimate? estimate = null;
        string? stopped = null;
        var made = new ConcurrentDictionary<string, SpeechPreviewRecord>(StringComparer.Ordinal);
        var failed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        if (toAsk.Count > 0)
        {
            // Only previews not in the ledger are priced, and the account is asked its unit only when one is needed.
            var (remaining, unit) = (await heyGen.GetUserAsync(ct)).Remaining();
            estimate = new SpeechEstimate(toAsk.Count, seconds, unit, seconds * PerSecond(run.Options, options.Value.Pricing, unit));
            stopped = maxSpend is { } max && estimate.Cost > max
                ? $"the {toAsk.Count} previews would cost {Amount(estimate.Cost, unit)} ({Describe(estimate)}), more than --max-spend {Amount(max, unit)}; nothing was asked for"
                : remaining is { } left && estimate.Cost > left
                ? $"the {toAsk.Count} previews would cost {Amount(estimate.Cost, unit)}, more than the account's {Amount(left, unit)}; nothing was asked for"
                : null;
            if (stopped is null)
            {
                stopped = await AskAsync(toAsk, made, failed, ct);
            }
        }

        var heard = new Dictionary<string, SpeechPreviewRecord>(cached, StringComparer.Ordinal);
        foreach (var (key, record) in made)
        {
            heard[key] = record;
        }

        var outcome = new NamesOutcome(run.Campaign, run.Source.Name, names, heard, failed, cached.Count, made.Count, estimate, stopped)
        {
            SecondsMade = made.Values.Sum(r => r.DurationSeconds),
        };
        return outcome with { PagePath = await WritePageAsync(outcome, ct) };
    }

    /// <summary>Estimated seconds of a preview's audio: its words at the campaign's pace and the row's speed, at least one.</summary>
    public static double EstimatedSeconds(NameEntry name, double wordsPerMinute)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Math.Max(1, CreditEstimate.MinutesOf(name.Sentence, wordsPerMinute) * 60 / (name.Speed is > 0 ? name.Speed.Value : 1));
    }

    /// <summary>The price of a second of speech in <paramref name="unit"/> (<see cref="PricingOptions.SpeechUsdPerSecond"/>, or credits).</summary>
    public static double PerSecond(CampaignOptions campaign, PricingOptions pricing, string unit)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(pricing);
        return Spend.IsUsd(unit) ? pricing.SpeechUsdPerSecond : pricing.SpeechCreditsPerSecond ?? campaign.CreditsPerMinute / 60;
    }

    /// <summary>
    /// An amount of speech money: "$0.008" (a USD figure keeps up to six decimals, since a preview costs a fraction of a
    /// cent and <see cref="Spend.Amount(double, string)"/>'s cents would show it as $0.00), or credits as everywhere.
    /// </summary>
    public static string Amount(double amount, string unit) =>
        Spend.IsUsd(unit) ? "$" + amount.ToString("#,0.00####", CultureInfo.InvariantCulture) : Spend.Amount(amount, unit);

    /// <summary>"4 s of speech at $0.000667 a second".</summary>
    public static string Describe(SpeechEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var rate = estimate.Seconds > 0 ? estimate.Cost / estimate.Seconds : 0;
        return string.Create(CultureInfo.InvariantCulture, $"about {estimate.Seconds:0} s of speech at {(Spend.IsUsd(estimate.Unit) ? "$" + rate.ToString("0.######", CultureInfo.InvariantCulture) : rate.ToString("0.####", CultureInfo.InvariantCulture) + " credits")} a second");
    }

    /// <summary>Asks for each preview; a refused one is noted and the rest go on, unless HeyGen says the batch must stop.</summary>
    private async Task<string?> AskAsync(List<NameEntry> toAsk, ConcurrentDictionary<string, SpeechPreviewRecord> made, ConcurrentDictionary<string, string> failed, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        string? stopped = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(heyGenOptions.Value.MaxConcurrency, 1, 16), CancellationToken = stop.Token };
        try
        {
            await Parallel.ForEachAsync(toAsk, parallel, async (name, token) =>
            {
                try
                {
                    var audio = await heyGen.SynthesizeSpeechAsync(new SpeechRequest(name.Sentence, name.VoiceId) { Speed = name.Speed, Locale = name.Locale }, token);
                    var record = new SpeechPreviewRecord
                    {
                        PreviewKey = name.PreviewKey, VoiceId = name.VoiceId, Settings = name.Settings, SpokenText = name.Sentence,
                        AudioUrl = audio.AudioUrl, DurationSeconds = audio.Duration, RequestId = audio.RequestId,
                        CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
                    };
                    await ledger.RecordSpeechPreviewAsync(record, CancellationToken.None); // paid for: kept even when the run is stopped
                    made[name.PreviewKey] = record;
                    LogHeard(logger, name.Value, audio.Duration);
                }
                catch (HeyGenApiException e) when (e.Disposition != ErrorDisposition.StopBatch)
                {
                    failed[name.PreviewKey] = $"{e.Code}: {e.Message}";
                }
                catch (HeyGenApiException e)
                {
                    Interlocked.CompareExchange(ref stopped, $"HeyGen stopped the previews: {e.Code}: {e.Message}", null);
                    await stop.CancelAsync();
                }
            });
        }
        catch (OperationCanceledException) when (stopped is not null && !ct.IsCancellationRequested)
        {
            // Stopped by HeyGen's answer above: the previews made so far are kept and shown.
        }

        return stopped;
    }

    private async Task<string> WritePageAsync(NamesOutcome outcome, CancellationToken ct)
    {
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var stem = Path.Combine(reports.Value.Folder, $"{ReportWriter.SafeName(outcome.Campaign)}-{stamp}-names");
        var path = stem + ".html";
        for (var n = 2; File.Exists(path); n++)
        {
            path = $"{stem}-{n}.html";
        }

        await ListeningPage.WriteAsync(path, outcome, time.GetUtcNow(), ct);
        return path;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heard {Name}: {Seconds} s of speech")]
    private static partial void LogHeard(ILogger logger, string name, double seconds);
}

/// <summary>What the previews not yet in the ledger are expected to cost, before any is asked for.</summary>
/// <param name="Unit">The account's unit (<c>usd</c> or <c>credits</c>), as <c>GET /v3/users/me</c> reports it.</param>
public sealed record SpeechEstimate(int Previews, double Seconds, string Unit, double Cost);

/// <summary>The outcome of <c>names</c>: the names, the previews heard (from the ledger or new), those refused, and why it stopped.</summary>
/// <param name="Heard">Previews by <see cref="NameEntry.PreviewKey"/>.</param>
/// <param name="Failed">Why HeyGen refused a preview, by <see cref="NameEntry.PreviewKey"/>.</param>
/// <param name="Stopped">Why nothing more was asked for (over <c>--max-spend</c>, HeyGen stopped the batch); null: every one was asked.</param>
public sealed record NamesOutcome(
    string Campaign,
    string Source,
    NameList Names,
    IReadOnlyDictionary<string, SpeechPreviewRecord> Heard,
    IReadOnlyDictionary<string, string> Failed,
    int FromLedger,
    int Asked,
    SpeechEstimate? Estimate,
    string? Stopped)
{
    /// <summary>Seconds of audio HeyGen made (and billed) in this run.</summary>
    public double SecondsMade { get; init; }

    /// <summary>The listening page.</summary>
    public string? PagePath { get; init; }
}
