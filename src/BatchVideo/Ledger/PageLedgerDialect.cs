using BatchVideo.Databases;

namespace BatchVideo.Ledger;

/// <summary>
/// The ledger's statements for recipient pages (migrations 12 and 13): one row per campaign and recipient holding its
/// page token, the texts and name read from its row, and what the page's beacons reported. Events are counters and
/// first/last times on that row, never a row per beacon, so a flood of beacons cannot grow the database; each counter
/// stops at <see cref="CounterCap"/>.
/// No IP address or user agent is stored at all. Engine syntax only where engines differ, as in <see cref="LedgerDialect"/>.
/// </summary>
public abstract class PageLedgerDialect
{
    /// <summary>Where a counter stops: far above any honest recipient, so a flood changes nothing once reached.</summary>
    public const int CounterCap = 1_000_000;

    /// <summary>The page tokens table, qualified and quoted.</summary>
    public abstract string Tokens { get; }

    /// <summary>The ledger entries table, qualified and quoted.</summary>
    protected abstract string Entries { get; }

    /// <summary>Migration 12's statements.</summary>
    public abstract IReadOnlyList<string> Migration { get; }

    /// <summary>
    /// Migration 13's statements: the recipient's name (<c>Pages:NameColumn</c>) beside the page texts, for the
    /// <c>first_view</c> notification; at most <see cref="Pages.PageTextRenderer.MaxNameLength"/> characters.
    /// </summary>
    public abstract IReadOnlyList<string> NameMigration { get; }

    /// <summary>
    /// Up to @Count keys after @After, in key order, of the campaign's completed entries that have no page token yet:
    /// keyset paging, so giving a million recipients their tokens reads the campaign once, not once per batch.
    /// </summary>
    public string SelectKeysWithoutToken => FirstRows("e.recipient_key", $"""
        FROM {Entries} e
        WHERE e.campaign = @Campaign AND e.state = 'completed' AND e.recipient_key > @After
          AND NOT EXISTS (SELECT 1 FROM {Tokens} t WHERE t.campaign = e.campaign AND t.recipient_key = e.recipient_key)
        ORDER BY e.recipient_key
        """);

    /// <summary>Adds tokens from a JSON array @Batch of {k: key, t: token}; a recipient who has one keeps it.</summary>
    public abstract string InsertTokens { get; }

    /// <summary>
    /// Stores page texts from a JSON array @Batch of {k: key, t: a new token, h: heading, c: CTA text, u: CTA address, n: name}:
    /// a recipient without a token gets the new one, one with a token keeps it and gets the texts.
    /// </summary>
    public abstract string UpsertTexts { get; }

    /// <summary>
    /// The page of a live token with its completed entry: one read by the unique token index, then the entry by its
    /// primary key. The entry's columns come last, from <c>campaign</c> on (Dapper splits there).
    /// </summary>
    public string SelectPage => $"""
        SELECT t.token, t.heading, t.cta_text, t.cta_url, t.recipient_name, {string.Join(", ", LedgerDialect.EntryColumns.Split(',').Select(c => "e." + c.Trim()))}
        FROM {Tokens} t JOIN {Entries} e ON e.campaign = t.campaign AND e.recipient_key = t.recipient_key
        WHERE t.token = @Token AND t.revoked_at IS NULL AND e.state = 'completed'
        """;

    /// <summary>
    /// What the tokens of the keys in @Keys counted (at most <see cref="LedgerDialect.MaxKeysPerQuery"/>), for recipients
    /// with a finished video, revoked ones included (their history stays): one read by primary key per recipient.
    /// A token given with texts before the video was done waits until it is.
    /// </summary>
    public string SelectEngagementOfKeys => $"""
        SELECT {EngagementColumns}
        FROM {Tokens} t JOIN {Entries} e ON e.campaign = t.campaign AND e.recipient_key = t.recipient_key
        WHERE t.campaign = @Campaign AND e.state = 'completed' AND {KeysIn("t.recipient_key")}
        """;

    /// <summary>
    /// The next @Count recipients with a finished video after the key @After, in key order (a page of the campaign,
    /// read by its primary key), so a whole campaign is read a page at a time and never held at once.
    /// </summary>
    public string SelectEngagementAfter => FirstRows(EngagementColumns, $"""
        FROM {Tokens} t JOIN {Entries} e ON e.campaign = t.campaign AND e.recipient_key = t.recipient_key
        WHERE t.campaign = @Campaign AND e.state = 'completed' AND t.recipient_key > @After
        ORDER BY t.recipient_key
        """);

    /// <summary>
    /// As <see cref="SelectEngagementAfter"/>, only recipients who did something (a view, a progress mark, a click).
    /// Every event stamps <c>last_event_at</c>, so migration 14's index of the tokens with one finds them without
    /// reading the recipients who did nothing (most of a large campaign).
    /// </summary>
    public string SelectActiveEngagementAfter => FirstRows(EngagementColumns, $"""
        FROM {Tokens} t JOIN {Entries} e ON e.campaign = t.campaign AND e.recipient_key = t.recipient_key
        WHERE t.campaign = @Campaign AND t.last_event_at IS NOT NULL AND t.recipient_key > @After
          AND (t.views > 0 OR t.watched_percent > 0 OR t.cta_clicked_at IS NOT NULL) AND e.state = 'completed'
        ORDER BY t.recipient_key
        """);

    /// <summary>
    /// The campaign's totals (<see cref="EngagementTotals"/>) in one aggregate over the recipients with a finished video:
    /// sent, opened (a view), watched half (50% or more), clicked. Cast to 64 bits so every engine answers the same type.
    /// </summary>
    public string SelectEngagementTotals => $"""
        SELECT CAST(COUNT(*) AS bigint) AS sent,
               CAST(COALESCE(SUM(CASE WHEN t.views > 0 THEN 1 ELSE 0 END), 0) AS bigint) AS opened,
               CAST(COALESCE(SUM(CASE WHEN t.watched_percent >= 50 THEN 1 ELSE 0 END), 0) AS bigint) AS watched_half,
               CAST(COALESCE(SUM(CASE WHEN t.cta_clicked_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS bigint) AS clicked
        FROM {Tokens} t JOIN {Entries} e ON e.campaign = t.campaign AND e.recipient_key = t.recipient_key
        WHERE t.campaign = @Campaign AND e.state = 'completed'
        """;

    /// <summary>
    /// Up to @Count live pages (token not revoked, video completed) of the campaign with keys after @After, in key
    /// order, with their counts: by the token table's primary key, so a page of keys costs the same at any depth.
    /// </summary>
    public string SelectLivePages => FirstRows(EngagementColumns, $"""
        FROM {Tokens} t JOIN {Entries} e ON e.campaign = t.campaign AND e.recipient_key = t.recipient_key
        WHERE t.campaign = @Campaign AND t.recipient_key > @After AND t.revoked_at IS NULL AND e.state = 'completed'
        ORDER BY t.recipient_key
        """);

    /// <summary>
    /// Migration 14: an index of the tokens whose page reported something, for <see cref="SelectActiveEngagementAfter"/>
    /// (serve's write-back every minute reads the active recipients, not the whole campaign). A filtered index on every
    /// engine: SQLite and PostgreSQL partial indexes, SQL Server a filtered one (which takes IS NOT NULL, not OR).
    /// </summary>
    public string ActivityIndex => $"CREATE INDEX ix_page_tokens_activity ON {Tokens} (campaign, recipient_key) WHERE last_event_at IS NOT NULL";

    /// <summary>The first view of a live token: affects 1 row for exactly one caller, whatever the race.</summary>
    public string MarkFirstView => $"""
        UPDATE {Tokens} SET views = 1, first_viewed_at = @At, last_viewed_at = @At, last_event_at = @At
        WHERE token = @Token AND revoked_at IS NULL AND first_viewed_at IS NULL
        """;

    /// <summary>A later view.</summary>
    public string CountView => $"""
        UPDATE {Tokens} SET views = {Capped("views")}, last_viewed_at = @At, last_event_at = @At
        WHERE token = @Token AND revoked_at IS NULL
        """;

    /// <summary>The video started playing.</summary>
    public string CountPlay => $"""
        UPDATE {Tokens} SET plays = {Capped("plays")}, last_event_at = @At
        WHERE token = @Token AND revoked_at IS NULL
        """;

    /// <summary>A progress mark: the furthest one stays.</summary>
    public string MarkProgress => $"""
        UPDATE {Tokens} SET watched_percent = CASE WHEN watched_percent < @Percent THEN @Percent ELSE watched_percent END, last_event_at = @At
        WHERE token = @Token AND revoked_at IS NULL
        """;

    /// <summary>A click on the call to action: the first click's time stays.</summary>
    public string CountCtaClick => $"""
        UPDATE {Tokens} SET cta_clicks = {Capped("cta_clicks")}, cta_clicked_at = COALESCE(cta_clicked_at, @At), last_event_at = @At
        WHERE token = @Token AND revoked_at IS NULL
        """;

    /// <summary>Takes a recipient's page down: its token answers 404 from now on, its counts stay.</summary>
    public string Revoke => $"""
        UPDATE {Tokens} SET revoked_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND revoked_at IS NULL
        """;

    /// <summary>Every statement, for the parse tests.</summary>
    public IEnumerable<string> AllStatements =>
    [
        .. Migration, .. NameMigration, ActivityIndex, SelectKeysWithoutToken, InsertTokens, SelectPage, SelectEngagementOfKeys, SelectEngagementAfter,
        SelectActiveEngagementAfter, SelectEngagementTotals, MarkFirstView, CountView, CountPlay,
        MarkProgress, CountCtaClick, UpsertTexts, Revoke, SelectLivePages,
    ];

    public static PageLedgerDialect For(EngineKind kind) => kind switch
    {
        EngineKind.Sqlite => new SqlitePages(),
        EngineKind.Postgres => new PostgresPages(),
        EngineKind.SqlServer => new SqlServerPages(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private const string EngagementColumns = "t.campaign, t.recipient_key, t.token, t.views, t.first_viewed_at, t.watched_percent, t.cta_clicked_at";

    /// <summary>A column in the list @Keys, as Dapper expands it (PostgreSQL takes the array whole).</summary>
    protected virtual string KeysIn(string column) => $"{column} IN @Keys";

    /// <summary>The first @Count rows of a SELECT: LIMIT, or SQL Server's TOP.</summary>
    protected virtual string FirstRows(string columns, string rest) => $"SELECT {columns}\n{rest}\nLIMIT @Count";

    private static string Capped(string counter) => $"CASE WHEN {counter} < {CounterCap} THEN {counter} + 1 ELSE {counter} END";

    private sealed class SqlitePages : PageLedgerDialect
    {
        public override string Tokens => "page_tokens";

        protected override string Entries => "ledger_entries";

        public override IReadOnlyList<string> Migration { get; } =
        [
            """
            CREATE TABLE page_tokens (
                campaign TEXT NOT NULL,
                recipient_key TEXT NOT NULL,
                token TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER NULL,
                heading TEXT NULL,
                cta_text TEXT NULL,
                cta_url TEXT NULL,
                views INTEGER NOT NULL DEFAULT 0,
                plays INTEGER NOT NULL DEFAULT 0,
                cta_clicks INTEGER NOT NULL DEFAULT 0,
                watched_percent INTEGER NOT NULL DEFAULT 0,
                first_viewed_at INTEGER NULL,
                last_viewed_at INTEGER NULL,
                cta_clicked_at INTEGER NULL,
                last_event_at INTEGER NULL,
                PRIMARY KEY (campaign, recipient_key))
            """,
            "CREATE UNIQUE INDEX ux_page_tokens_token ON page_tokens (token)",
        ];

        public override IReadOnlyList<string> NameMigration { get; } = ["ALTER TABLE page_tokens ADD COLUMN recipient_name TEXT NULL"];

        // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
        public override string InsertTokens => """
            INSERT INTO page_tokens (campaign, recipient_key, token, created_at)
            SELECT @Campaign, json_extract(value, '$.k'), json_extract(value, '$.t'), @Now FROM json_each(@Batch) WHERE true
            ON CONFLICT DO NOTHING
            """;

        public override string UpsertTexts => """
            INSERT INTO page_tokens (campaign, recipient_key, token, created_at, heading, cta_text, cta_url, recipient_name)
            SELECT @Campaign, json_extract(value, '$.k'), json_extract(value, '$.t'), @Now, json_extract(value, '$.h'), json_extract(value, '$.c'), json_extract(value, '$.u'), json_extract(value, '$.n')
            FROM json_each(@Batch) WHERE true
            ON CONFLICT (campaign, recipient_key) DO UPDATE SET heading = excluded.heading, cta_text = excluded.cta_text, cta_url = excluded.cta_url, recipient_name = excluded.recipient_name
            """;
    }

    private sealed class PostgresPages : PageLedgerDialect
    {
        public override string Tokens => "batchvideo.page_tokens";

        protected override string KeysIn(string column) => $"{column} = ANY(@Keys)";

        protected override string Entries => "batchvideo.ledger_entries";

        public override IReadOnlyList<string> Migration { get; } =
        [
            """
            CREATE TABLE batchvideo.page_tokens (
                campaign varchar(100) NOT NULL,
                recipient_key varchar(300) NOT NULL,
                token varchar(64) NOT NULL,
                created_at bigint NOT NULL,
                revoked_at bigint NULL,
                heading text NULL,
                cta_text text NULL,
                cta_url text NULL,
                views integer NOT NULL DEFAULT 0,
                plays integer NOT NULL DEFAULT 0,
                cta_clicks integer NOT NULL DEFAULT 0,
                watched_percent integer NOT NULL DEFAULT 0,
                first_viewed_at bigint NULL,
                last_viewed_at bigint NULL,
                cta_clicked_at bigint NULL,
                last_event_at bigint NULL,
                PRIMARY KEY (campaign, recipient_key))
            """,
            "CREATE UNIQUE INDEX ux_page_tokens_token ON batchvideo.page_tokens (token)",
        ];

        public override IReadOnlyList<string> NameMigration { get; } = ["ALTER TABLE batchvideo.page_tokens ADD COLUMN recipient_name varchar(200) NULL"];

        public override string InsertTokens => """
            INSERT INTO batchvideo.page_tokens (campaign, recipient_key, token, created_at)
            SELECT @Campaign, w.k, w.t, @Now FROM jsonb_to_recordset(CAST(@Batch AS jsonb)) AS w(k text, t text)
            ON CONFLICT DO NOTHING
            """;

        public override string UpsertTexts => """
            INSERT INTO batchvideo.page_tokens AS p (campaign, recipient_key, token, created_at, heading, cta_text, cta_url, recipient_name)
            SELECT @Campaign, w.k, w.t, @Now, w.h, w.c, w.u, w.n FROM jsonb_to_recordset(CAST(@Batch AS jsonb)) AS w(k text, t text, h text, c text, u text, n text)
            ON CONFLICT (campaign, recipient_key) DO UPDATE SET heading = EXCLUDED.heading, cta_text = EXCLUDED.cta_text, cta_url = EXCLUDED.cta_url, recipient_name = EXCLUDED.recipient_name
            """;
    }

    private sealed class SqlServerPages : PageLedgerDialect
    {
        public override string Tokens => "[batchvideo].[page_tokens]";

        protected override string FirstRows(string columns, string rest) => $"SELECT TOP (@Count) {columns}\n{rest}";

        protected override string Entries => "[batchvideo].[ledger_entries]";

        // The token is compared byte for byte (BIN2): base64url tells 'a' from 'A', and a case-insensitive
        // default collation would make guessing easier and two tokens collide in the unique index.
        public override IReadOnlyList<string> Migration { get; } =
        [
            """
            CREATE TABLE [batchvideo].[page_tokens] (
                campaign nvarchar(100) NOT NULL,
                recipient_key nvarchar(300) NOT NULL,
                token varchar(64) COLLATE Latin1_General_BIN2 NOT NULL,
                created_at bigint NOT NULL,
                revoked_at bigint NULL,
                heading nvarchar(max) NULL,
                cta_text nvarchar(max) NULL,
                cta_url nvarchar(max) NULL,
                views int NOT NULL DEFAULT 0,
                plays int NOT NULL DEFAULT 0,
                cta_clicks int NOT NULL DEFAULT 0,
                watched_percent int NOT NULL DEFAULT 0,
                first_viewed_at bigint NULL,
                last_viewed_at bigint NULL,
                cta_clicked_at bigint NULL,
                last_event_at bigint NULL,
                CONSTRAINT pk_page_tokens PRIMARY KEY (campaign, recipient_key))
            """,
            "CREATE UNIQUE INDEX ux_page_tokens_token ON [batchvideo].[page_tokens] (token)",
        ];

        public override IReadOnlyList<string> NameMigration { get; } = ["ALTER TABLE [batchvideo].[page_tokens] ADD recipient_name nvarchar(200) NULL"];

        // UPDLOCK + HOLDLOCK make the existence check and the insert one atomic step when two nodes add tokens at once.
        public override string InsertTokens => """
            INSERT INTO [batchvideo].[page_tokens] (campaign, recipient_key, token, created_at)
            SELECT @Campaign, w.k, w.t, @Now FROM OPENJSON(@Batch) WITH (k nvarchar(300) '$.k', t varchar(64) '$.t') AS w
            WHERE NOT EXISTS (
                SELECT 1 FROM [batchvideo].[page_tokens] WITH (UPDLOCK, HOLDLOCK)
                WHERE campaign = @Campaign AND recipient_key = w.k)
            """;

        public override string UpsertTexts => """
            MERGE [batchvideo].[page_tokens] WITH (HOLDLOCK) AS p
            USING (SELECT k, t, h, c, u, n FROM OPENJSON(@Batch) WITH (k nvarchar(300) '$.k', t varchar(64) '$.t', h nvarchar(max) '$.h', c nvarchar(max) '$.c', u nvarchar(max) '$.u', n nvarchar(200) '$.n')) AS w
                ON p.campaign = @Campaign AND p.recipient_key = w.k
            WHEN NOT MATCHED THEN
                INSERT (campaign, recipient_key, token, created_at, heading, cta_text, cta_url, recipient_name) VALUES (@Campaign, w.k, w.t, @Now, w.h, w.c, w.u, w.n)
            WHEN MATCHED THEN
                UPDATE SET heading = w.h, cta_text = w.c, cta_url = w.u, recipient_name = w.n;
            """;
    }
}
