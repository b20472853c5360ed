using Dapper;

namespace BatchVideo.Ledger;

/// <summary>The cache of speech previews (migration 11): a name heard once is never asked for again, by any campaign.</summary>
public sealed partial class LedgerStore
{
    /// <summary>The previews already in the ledger among <paramref name="keys"/>, by key.</summary>
    public async Task<IReadOnlyDictionary<string, SpeechPreviewRecord>> GetSpeechPreviewsAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var sql = SpeechPreviewSql.For(dialect.Engine.Kind);
        var found = new Dictionary<string, SpeechPreviewRecord>(StringComparer.Ordinal);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxKeysPerQuery))
        {
            var rows = await WithConnectionAsync(
                (connection, token) => connection.QueryAsync<SpeechPreviewRecord>(new CommandDefinition(sql.SelectByKeys, new { Keys = chunk }, cancellationToken: token)),
                ct);
            foreach (var row in rows)
            {
                found[row.PreviewKey] = row;
            }
        }

        return found;
    }

    /// <summary>Keeps a preview HeyGen made; false when one of the same key was already there.</summary>
    public async Task<bool> RecordSpeechPreviewAsync(SpeechPreviewRecord preview, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var values = new
        {
            preview.PreviewKey, preview.VoiceId, preview.Settings, preview.SpokenText, preview.AudioUrl, preview.DurationSeconds, preview.RequestId, Now = Now(),
        };
        return await WithConnectionAsync(
            (connection, token) => connection.ExecuteAsync(new CommandDefinition(SpeechPreviewSql.For(dialect.Engine.Kind).InsertIfAbsent, values, cancellationToken: token)),
            ct) == 1;
    }
}

/// <summary>One speech preview HeyGen made: what was spoken, in which voice and settings, and where its audio is.</summary>
public sealed class SpeechPreviewRecord
{
    /// <summary>SHA-256 hex of text, voice and settings (<c>Names.SpeechPreviewKey</c>).</summary>
    public string PreviewKey { get; set; } = "";

    public string VoiceId { get; set; } = "";

    /// <summary>The voice settings sent, as <c>speed=…;locale=…</c> (empty: HeyGen's defaults).</summary>
    public string Settings { get; set; } = "";

    public string SpokenText { get; set; } = "";

    public string AudioUrl { get; set; } = "";

    /// <summary>Seconds of audio, as HeyGen reported (and billed) them.</summary>
    public double DurationSeconds { get; set; }

    public string? RequestId { get; set; }

    /// <summary>Unix milliseconds.</summary>
    public long CreatedAt { get; set; }
}
