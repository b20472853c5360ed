using System.Globalization;
using BatchVideo.Ledger;
using BatchVideo.Sources;

namespace BatchVideo.WriteBack;

/// <summary>
/// The optional facts written back into a row beside its video cells (<c>Columns:Thumbnail</c>, <c>Duration</c>,
/// <c>Captions</c>, <c>FailureReason</c>), from what the ledger holds of the video, and the recipient page's
/// (<c>Columns:Page</c>, <c>Views</c>, <c>FirstViewedAt</c>, <c>WatchedPercent</c>, <c>CtaClickedAt</c>, <c>EmailHtml</c>).
/// </summary>
public static class WriteBackFacts
{
    /// <summary>The cells of the named fact columns, in <see cref="WriteBackColumns.Facts"/> order; null where the ledger has nothing yet.</summary>
    /// <param name="page">The recipient's page, when the campaign has pages and the video has one; null: the page cells stay empty.</param>
    public static IReadOnlyList<string?> Of(LedgerEntry entry, WriteBackColumns columns, Pages.RecipientPage? page = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(columns);
        return
        [
            .. columns.Facts.Where(f => f.Column is not null).Select(f => f.Fact switch
            {
                "Thumbnail" => entry.ThumbnailUrl,
                // VideoDetail.duration: seconds as a float ("30.5"); written with a dot whatever the culture.
                "Duration" => entry.DurationSeconds?.ToString("0.###", CultureInfo.InvariantCulture),
                "Captions" => entry.SubtitleUrl,
                "FailureReason" => entry.State == LedgerState.Failed ? entry.ErrorMessage ?? entry.ErrorCode : null,
                _ => page?.Cell(f.Fact),
            }),
        ];
    }
}
