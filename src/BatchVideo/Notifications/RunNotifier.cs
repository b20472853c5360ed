using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using BatchVideo.Campaigns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchVideo.Notifications;

/// <summary>What a notification is about.</summary>
public enum RunEvent
{
    /// <summary>A run ended by itself (with or without problem rows).</summary>
    Finished,

    /// <summary>The circuit breaker or the money cap (--max-spend) stopped sending.</summary>
    Stopped,

    /// <summary>The pre-flight refused the run before anything was paid.</summary>
    Refused,

    /// <summary>A sample was made and waits for <c>batchvideo approve</c>.</summary>
    SampleAwaitsApproval,
}

/// <summary>
/// Posts one short JSON message per run event to <see cref="NotificationOptions.WebhookUrl"/>: a
/// <c>text</c> line that Slack and Teams incoming webhooks show as it is, plus the same facts as fields.
/// A notification is a courtesy: a failed or slow post is logged (without the URL) and never changes
/// the run's outcome.
/// </summary>
public sealed partial class RunNotifier(HttpClient http, IOptions<NotificationOptions> options, ILogger<RunNotifier> logger)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Which event a run's summary is, or null for summaries that announce nothing (dry runs, validations).</summary>
    public static RunEvent? EventOf(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary switch
        {
            { Mode: not RunMode.Run } => null,
            { StoppedBeforeAnyCreate: true } => RunEvent.Refused,
            { Sample: { AwaitingApproval: true } } => RunEvent.SampleAwaitsApproval,
            { Halted: true } => RunEvent.Stopped,
            _ => RunEvent.Finished,
        };
    }

    /// <summary>Announces the end of a run, if the summary is one to announce and a URL is set. Never throws.</summary>
    public async Task NotifyAsync(RunSummary summary, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (options.Value.WebhookUrl is not { } url || EventOf(summary) is not { } kind)
        {
            return;
        }

        var message = new Message(
            Text(kind, summary),
            Name(kind),
            summary.Campaign,
            new MessageCounts(summary.Read, summary.Rejected, summary.AlreadyDone, summary.Submitted, summary.Completed, summary.Failed, summary.ToResume, summary.Rendering),
            summary.Estimate is { } estimate ? Campaigns.Spend.Round(estimate.Credits, estimate.Unit) : null,
            summary.StoppedBecause,
            summary.ReportPath,
            summary.ReviewPagePath);
        await PostAsync(url, JsonContent.Create(message, NotificationJson.Default.Message), Name(kind), summary.Campaign, ct);
    }

    /// <summary>
    /// Announces <c>first_view</c>: a recipient opened their page for the first time (the caller asks the ledger,
    /// whose answer is true once per recipient, so this is posted once per recipient). Never throws.
    /// </summary>
    public async Task NotifyFirstViewAsync(FirstView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (options.Value.WebhookUrl is not { } url)
        {
            return;
        }

        var message = new FirstViewMessage(view.Text, FirstViewEvent, view.Campaign, view.Key, view.Name, view.Page.AbsoluteUri);
        await PostAsync(url, JsonContent.Create(message, NotificationJson.Default.FirstViewMessage), FirstViewEvent, view.Campaign, ct);
    }

    /// <summary>The event name of <see cref="NotifyFirstViewAsync"/>.</summary>
    public const string FirstViewEvent = "first_view";

    private async Task PostAsync(Uri url, JsonContent content, string @event, string campaign, CancellationToken ct)
    {
        try
        {
            using (content)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.Value.Timeout);
                using var response = await http.PostAsync(url, content, timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    LogRefused(logger, @event, campaign, (int)response.StatusCode);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // The exception's message can name the URL's host; only its kind is logged, the URL never.
            LogFailed(logger, @event, campaign, e.GetType().Name);
        }
    }

    /// <summary>One line a person reads in a channel: what happened, the counts, the money, where to look.</summary>
    public static string Text(RunEvent kind, RunSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var what = kind switch
        {
            RunEvent.Refused => $"refused before any video was created: {s.StoppedBecause}",
            RunEvent.Stopped => $"stopped: {s.StoppedBecause}",
            RunEvent.SampleAwaitsApproval => $"sample of {s.Completed} video(s) ready; nothing more is sent until 'batchvideo approve --campaign {s.Campaign}'",
            _ => s.StoppedBecause is null ? "finished" : $"ended early: {s.StoppedBecause}",
        };
        what = what.TrimEnd('.');
        var money = s.Estimate is { } e ? "; about " + Campaigns.Spend.Amount(e) : "";
        var look = s.ReviewPagePath ?? s.ReportPath;
        return string.Create(Invariant,
            $"BatchVideo campaign {s.Campaign} {what}. {s.Read} rows read: {s.Completed} completed, {s.Submitted} submitted, {s.Failed} failed, {s.Rejected} rejected, {s.AlreadyDone} already done{money}.")
            + (look is null ? "" : $" Report: {look}");
    }

    private static string Name(RunEvent kind) => kind switch
    {
        RunEvent.Finished => "run_finished",
        RunEvent.Stopped => "run_stopped",
        RunEvent.Refused => "run_refused",
        RunEvent.SampleAwaitsApproval => "sample_awaits_approval",
        _ => kind.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Event} of campaign {Campaign} was refused with HTTP {Status}")]
    private static partial void LogRefused(ILogger logger, string @event, string campaign, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Event} of campaign {Campaign} could not be sent ({Error}); nothing else is affected")]
    private static partial void LogFailed(ILogger logger, string @event, string campaign, string error);

    internal sealed record Message(
        string Text,
        string Event,
        string Campaign,
        MessageCounts Counts,
        double? EstimatedCredits,
        string? StoppedBecause,
        string? Report,
        string? ReviewPage);

    internal sealed record FirstViewMessage(string Text, string Event, string Campaign, string Key, string? Name, string Page);

    internal sealed record MessageCounts(long Read, long Rejected, long AlreadyDone, long Submitted, long Completed, long Failed, long Deferred, long StillRendering);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunNotifier.Message))]
[JsonSerializable(typeof(RunNotifier.FirstViewMessage))]
internal sealed partial class NotificationJson : JsonSerializerContext;
