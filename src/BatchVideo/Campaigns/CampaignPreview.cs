using System.Runtime.CompilerServices;
using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using Microsoft.Extensions.Options;

namespace BatchVideo.Campaigns;

/// <summary>
/// <c>preview</c>: what a run would send for its first rows (or one row), down to the exact create
/// request, with nothing sent and nothing written. Rows are decided by the same <see cref="RowClassifier"/>
/// a run uses, and requests are built by the same <see cref="PreparedRun.CreateRequest"/>.
/// </summary>
public sealed class CampaignPreview(LedgerStore ledger, IOptions<HeyGenOptions> heyGenOptions, TimeProvider time)
{
    /// <summary>
    /// Every row up to the <paramref name="limit"/>-th one that would be sent, or only the row of
    /// <paramref name="key"/> when given; rows that would not be sent come with their verdict and no request.
    /// </summary>
    public async IAsyncEnumerable<PreviewItem> PreviewAsync(PreparedRun run, int limit, string? key, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ready = 0;
        await foreach (var verdict in new RowClassifier(run, ledger, time).ClassifyAsync(ct))
        {
            if (key is not null && !string.Equals(verdict.Key, run.KeyOf(key), StringComparison.Ordinal))
            {
                continue;
            }

            yield return Preview(run, verdict);
            if (key is not null || (verdict.Fate == RowFate.Ready && ++ready >= limit))
            {
                yield break;
            }
        }
    }

    private PreviewItem Preview(PreparedRun run, RowVerdict verdict)
    {
        if (verdict is not { Fate: RowFate.Ready, Key: { } key, Rendered: { } rendered })
        {
            return new PreviewItem(verdict, null);
        }

        var options = heyGenOptions.Value;
        var request = run.CreateRequest(key, rendered, options.CallbackUrl);
        return new PreviewItem(verdict, new PreviewRequest(
            new Uri(EnsureTrailingSlash(options.BaseUrl), request.Route),
            RecipientIdentity.NextIdempotencyKey(run.Campaign, key, verdict.Entry, run.Options.Type),
            request));
    }

    private static Uri EnsureTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}

/// <summary>One previewed row: its verdict and, when it would be sent, the request.</summary>
public sealed record PreviewItem(RowVerdict Verdict, PreviewRequest? Request);

/// <summary>
/// A create request as it would go out: <c>POST</c> to <see cref="Url"/> with the <c>Idempotency-Key</c>
/// header and <see cref="Body"/>, byte for byte; the API key is added by the client and never shown.
/// </summary>
/// <param name="Create">The create of the campaign's type, as <see cref="VideoRequests"/> built it for the run.</param>
public sealed record PreviewRequest(Uri Url, string IdempotencyKey, VideoCreate Create)
{
    /// <summary>The JSON body, byte for byte.</summary>
    public string Body => Create.Body;
}
