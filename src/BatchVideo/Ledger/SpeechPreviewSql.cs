using BatchVideo.Databases;

namespace BatchVideo.Ledger;

/// <summary>
/// The ledger's cache of speech previews (migration 11): one row per distinct spoken text, voice and voice settings,
/// shared by every campaign, so a name heard once is never paid for again. Engine syntax only where engines differ.
/// </summary>
public sealed class SpeechPreviewSql
{
    private readonly string table;
    private readonly EngineKind kind;

    private SpeechPreviewSql(EngineKind kind)
    {
        this.kind = kind;
        table = kind switch
        {
            EngineKind.Sqlite => "batchvideo_speech_previews",
            EngineKind.Postgres => "batchvideo.speech_previews",
            EngineKind.SqlServer => "[batchvideo].[speech_previews]",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    public static SpeechPreviewSql For(EngineKind kind) => new(kind);

    /// <summary>Migration 11 of the engine's dialect.</summary>
    public LedgerMigration Migration => new(11, "speech previews of names, by text, voice and settings",
    [
        kind switch
        {
            // preview_key: SHA-256 hex of text, voice and settings (SpeechPreviewKey); the text itself can be 5,000 characters.
            EngineKind.SqlServer => $"""
                CREATE TABLE {table} (
                    preview_key nvarchar(64) NOT NULL PRIMARY KEY,
                    voice_id nvarchar(200) NOT NULL,
                    settings nvarchar(200) NOT NULL,
                    spoken_text nvarchar(max) NOT NULL,
                    audio_url nvarchar(max) NOT NULL,
                    duration_seconds float NOT NULL,
                    request_id nvarchar(200) NULL,
                    created_at bigint NOT NULL)
                """,
            EngineKind.Postgres => $"""
                CREATE TABLE {table} (
                    preview_key text NOT NULL PRIMARY KEY,
                    voice_id text NOT NULL,
                    settings text NOT NULL,
                    spoken_text text NOT NULL,
                    audio_url text NOT NULL,
                    duration_seconds double precision NOT NULL,
                    request_id text NULL,
                    created_at bigint NOT NULL)
                """,
            _ => $"""
                CREATE TABLE {table} (
                    preview_key TEXT NOT NULL PRIMARY KEY,
                    voice_id TEXT NOT NULL,
                    settings TEXT NOT NULL,
                    spoken_text TEXT NOT NULL,
                    audio_url TEXT NOT NULL,
                    duration_seconds REAL NOT NULL,
                    request_id TEXT NULL,
                    created_at INTEGER NOT NULL)
                """,
        },
    ]);

    /// <summary>The cached previews among @Keys.</summary>
    public string SelectByKeys => $"SELECT preview_key, voice_id, settings, spoken_text, audio_url, duration_seconds, request_id, created_at FROM {table} WHERE {DatabaseEngine.Parse(EngineName).InList("preview_key", "Keys")}";

    /// <summary>Keeps a new preview; one already there (another process heard the same text) stays as it was.</summary>
    public string InsertIfAbsent => kind == EngineKind.SqlServer
        ? $"""
            INSERT INTO {table} (preview_key, voice_id, settings, spoken_text, audio_url, duration_seconds, request_id, created_at)
            SELECT @PreviewKey, @VoiceId, @Settings, @SpokenText, @AudioUrl, @DurationSeconds, @RequestId, @Now
            WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE preview_key = @PreviewKey)
            """
        : $"""
            INSERT INTO {table} (preview_key, voice_id, settings, spoken_text, audio_url, duration_seconds, request_id, created_at)
            VALUES (@PreviewKey, @VoiceId, @Settings, @SpokenText, @AudioUrl, @DurationSeconds, @RequestId, @Now)
            ON CONFLICT (preview_key) DO NOTHING
            """;

    /// <summary>Every statement, for the parse tests.</summary>
    public IEnumerable<string> AllStatements => [.. Migration.Statements, SelectByKeys, InsertIfAbsent];

    private string EngineName => kind switch
    {
        EngineKind.Sqlite => "sqlite",
        EngineKind.Postgres => "postgres",
        _ => "sqlserver",
    };
}
