namespace BatchVideo.Sources.Tables;

/// <summary>A source that several workers share: read in keyset pages, fetched by key once claimed.</summary>
public interface ITableSource : IRecipientSource
{
    /// <summary>Rows that still need a video (no URL yet), in key order, a page at a time, in constant memory.</summary>
    IAsyncEnumerable<IReadOnlyList<SourceRow>> ReadPendingPagesAsync(CancellationToken ct);

    /// <summary>The rows of these keys that still need a video.</summary>
    Task<IReadOnlyList<SourceRow>> FetchAsync(IReadOnlyList<string> keys, CancellationToken ct);
}
