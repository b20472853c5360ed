using System.Globalization;
using BatchVideo.Ledger;
using BatchVideo.Sources;

namespace BatchVideo.WriteBack;

/// <summary>
/// The optional facts written back into a row beside its video cells (<c>Columns:Thumbnail</c>, <c>Duration</c>,
/// <c>Captions</c>, <c>FailureReason</c>), from what the ledger holds of the video.
/// </summary>
public static class WriteBackFacts
{
    /// <summary>The cells of the named fact columns, in <see cref="WriteBackColumns.Facts"/> order; null where the ledger has nothing yet.</summary>
    public static IReadOnlyList<string?> Of(LedgerEntry entry, WriteBackColumns columns)
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
                _ => null,
            }),
        ];
    }
}
