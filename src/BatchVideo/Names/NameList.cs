using System.Security.Cryptography;
using System.Text;

namespace BatchVideo.Names;

/// <summary>
/// One distinct name of a campaign: a <c>Pronounce</c> column's value as the CRM writes it, how it is spoken (its
/// respelling, or itself), the sentence that speaks it, the voice and settings, and the rows that carry it.
/// </summary>
public sealed class NameEntry(string column, string value, string spokenName, string sentence, string voiceId, double? speed, string? locale)
{
    /// <summary>The column (header as written) the value was found in.</summary>
    public string Column { get; } = column;

    /// <summary>The value as the CRM writes it (edges cleaned): what is shown.</summary>
    public string Value { get; } = value;

    /// <summary>The value as spoken: its respelling, or the value itself.</summary>
    public string SpokenName { get; } = spokenName;

    /// <summary>The text sent for the preview (the campaign's <c>PronounceSentence</c>, or the script's first sentence holding the name).</summary>
    public string Sentence { get; } = sentence;

    public string VoiceId { get; } = voiceId;

    /// <summary>The row's voice speed (<c>Columns:VoiceSpeed</c>); null: HeyGen's default.</summary>
    public double? Speed { get; } = speed;

    /// <summary>The row's voice locale (<c>Columns:VoiceLocale</c>); null: detected from the text.</summary>
    public string? Locale { get; } = locale;

    /// <summary>True when a respelling makes the spoken name differ from the written one.</summary>
    public bool Respelled => !string.Equals(Value, SpokenName, StringComparison.Ordinal);

    /// <summary>How many rows carry it.</summary>
    public long Rows { get; set; }

    /// <summary>The keys of the first rows that carry it (at most <see cref="NameCollector.KeysShown"/>).</summary>
    public List<string> Keys { get; } = [];

    /// <summary>The voice settings as stored with a preview: <c>speed=…;locale=…</c>, empty for HeyGen's defaults.</summary>
    public string Settings => string.Join(';', new[]
    {
        Speed is { } s ? "speed=" + s.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : null,
        Locale is { Length: > 0 } l ? "locale=" + l : null,
    }.Where(p => p is not null));

    /// <summary>The key of its preview in the ledger: the same text, voice and settings are one preview, whatever the campaign.</summary>
    public string PreviewKey => SpeechPreviewKey.Of(Sentence, VoiceId, Settings);
}

/// <summary>The cache key of a speech preview: SHA-256 hex of its text, voice and settings, each on its own line.</summary>
public static class SpeechPreviewKey
{
    public static string Of(string text, string voiceId, string settings) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{text}\n{voiceId}\n{settings}")));
}

/// <summary>Every distinct name of a campaign's source, and the rows that could not be read for names.</summary>
public sealed record NameList(IReadOnlyList<NameEntry> Names, long RowsRead, long RowsSkipped)
{
    /// <summary>The distinct previews the names need (two names can share one sentence, voice and settings).</summary>
    public IReadOnlyList<NameEntry> DistinctPreviews =>
        [.. Names.GroupBy(n => n.PreviewKey, StringComparer.Ordinal).Select(g => g.First())];
}
