using BatchVideo.Links;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>The configured campaigns: section root of appsettings.json.</summary>
public sealed class BatchVideoOptions
{
    /// <summary>The campaign a run uses when none is named.</summary>
    public string? DefaultCampaign { get; set; }

    public Dictionary<string, CampaignOptions> Campaigns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>USD prices by engine and resolution (section <c>Pricing</c>).</summary>
    public PricingOptions Pricing { get; set; } = new();

    /// <summary>Downloads of finished videos (section <c>Storage</c>).</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>Folder that relative paths resolve against: the configuration file's folder.</summary>
    public string BaseDirectory { get; set; } = Directory.GetCurrentDirectory();

    public (string Name, CampaignOptions Campaign) Resolve(string? name)
    {
        name ??= DefaultCampaign;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ConfigurationException(
                $"No campaign named: pass --campaign or set DefaultCampaign. Configured: {string.Join(", ", Campaigns.Keys)}.");
        }

        return Campaigns.TryGetValue(name, out var campaign)
            ? (Campaigns.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)), campaign)
            : throw new ConfigurationException(
                $"Campaign '{name}' is not configured. Configured: {string.Join(", ", Campaigns.Keys)}.");
    }
}

/// <summary>One campaign: the template and the fixed avatar and voice every row of it gets.</summary>
public sealed class CampaignOptions
{
    public static readonly IReadOnlySet<string> AspectRatios = new HashSet<string>(StringComparer.Ordinal) { "16:9", "9:16", "4:5", "5:4", "1:1", "auto" };
    public static readonly IReadOnlySet<string> Resolutions = new HashSet<string>(StringComparer.Ordinal) { "4k", "1080p", "720p" };
    public static readonly IReadOnlySet<string> Engines = new HashSet<string>(StringComparer.Ordinal) { "avatar_iv", "avatar_v", "avatar_iii" };

    /// <summary>
    /// Which of HeyGen's video APIs the campaign uses: <c>avatar</c> (Direct Video, the default),
    /// <c>video_agent</c> (<c>POST /v3/video-agents</c>), <c>cinematic_avatar</c> (<c>POST /v3/videos</c>) or
    /// <c>template</c> (<c>POST /v3/templates/{id}</c>);
    /// see <see cref="VideoTypes"/> for what each takes.
    /// </summary>
    public string Type { get; set; } = VideoTypes.Avatar;

    /// <summary>Video Agent only: a style from <c>GET /v3/video-agents/styles</c>; sent only when set.</summary>
    public string? StyleId { get; set; }

    /// <summary>Video Agent only: <c>landscape</c> or <c>portrait</c>; unset: the agent decides from the content.</summary>
    public string? Orientation { get; set; }

    /// <summary>Cinematic Avatar only: one to three avatar look ids (sent as the <c>avatar_id</c> array).</summary>
    public List<string> AvatarIds { get; set; } = [];

    /// <summary>Cinematic Avatar only: the clip's length in seconds, 4 to 15; unset: HeyGen's default, 10.</summary>
    public int? Duration { get; set; }

    /// <summary>
    /// Video Agent only: the length in seconds the estimate assumes for one video. The agent decides the
    /// length itself and the reference states no typical one, so this is the operator's figure (default 60).
    /// </summary>
    public double ExpectedSeconds { get; set; } = 60;

    /// <summary><c>template</c> only: the HeyGen template (<c>GET /v3/templates</c>, or <c>batchvideo heygen templates list</c>).</summary>
    public string? TemplateId { get; set; }

    /// <summary>
    /// <c>template</c> only: the template's variable name → Scriban text rendered per row (text: the text; image, video,
    /// audio: an <c>https://</c> URL; voice: a voice id; character: a look id). Every text variable a rendered scene
    /// uses must be here: HeyGen leaves an unfilled one as its literal <c>{{name}}</c> in the video.
    /// </summary>
    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>template</c> only: the scenes to render, in order (repeats allowed); empty: all, in the template's order.</summary>
    public List<string> SceneIds { get; set; } = [];

    /// <summary><c>template</c> only: a burned-in subtitle preset (<c>classic</c>, <c>bold</c>, <c>bright</c>…), sent as <c>subtitles.preset_name</c>.</summary>
    public string? Subtitles { get; set; }

    /// <summary><c>template</c> only: <c>include_gif</c> (a GIF preview in the webhook payload); unset: HeyGen's default, false.</summary>
    public bool? IncludeGif { get; set; }

    /// <summary><c>template</c> only: <c>enable_sharing</c> (a public share page); unset: HeyGen's default, false.</summary>
    public bool? EnableSharing { get; set; }

    /// <summary><c>template</c> only: the HeyGen folder the videos go to; unset: the workspace root.</summary>
    public string? FolderId { get; set; }

    /// <summary><c>template</c> only: the brand glossary that sets how custom terms are pronounced.</summary>
    public string? BrandGlossaryId { get; set; }

    /// <summary><c>template</c> only: output frame rate, 25, 30 or 60; unset: HeyGen's default, 25.</summary>
    public double? Fps { get; set; }

    /// <summary><c>template</c> only: output size <c>WIDTHxHEIGHT</c> in pixels (even, 128-4096 each; must match the template's aspect ratio).</summary>
    public string? Dimension { get; set; }

    /// <summary>Scriban template of the spoken script (path, relative to the configuration file).</summary>
    public string Template { get; set; } = "";

    /// <summary>Scriban text of the video title; a recipient marker is always appended.</summary>
    public string? TitleTemplate { get; set; }

    /// <summary>The avatar look (required for <c>avatar</c>; optional for <c>video_agent</c>, sent only when set).</summary>
    public string AvatarId { get; set; } = "";

    /// <summary>The voice (required for <c>avatar</c>; optional for <c>video_agent</c>; refused for <c>cinematic_avatar</c>).</summary>
    public string VoiceId { get; set; } = "";

    public string AspectRatio { get; set; } = "16:9";

    public string Resolution { get; set; } = "1080p";

    /// <summary>
    /// The rendering engine sent as <c>engine.type</c> (<c>avatar_iv</c>, <c>avatar_v</c>, <c>avatar_iii</c>);
    /// none: HeyGen's default, Avatar IV. Checked against the look's <c>supported_api_engines</c> before a run,
    /// and used to price the batch on a USD wallet.
    /// </summary>
    public string? Engine { get; set; }

    /// <summary>
    /// <c>avatar</c> only: ask for captions (the create's <c>caption</c> setting, <c>{"file_format": "srt"}</c>), so
    /// HeyGen makes a caption file (<c>subtitle_url</c>) that <c>Columns:Captions</c> can write back.
    /// </summary>
    public bool Captions { get; set; }

    /// <summary>The column that identifies a recipient; --key overrides it.</summary>
    public string KeyColumn { get; set; } = "id";

    /// <summary>
    /// How keys of a CSV file are compared for duplicates and in the ledger: <c>exact</c>, <c>trimmed</c>
    /// (white space and invisible characters at the edges ignored), or <c>email</c> (trimmed and
    /// case-insensitive). Unset: trimmed, and email for keys that are e-mail addresses. A table's keys are the table's own.
    /// </summary>
    public string? KeyComparison { get; set; }

    /// <summary>Columns a template may read while empty (all others reject the row when empty).</summary>
    public List<string> OptionalColumns { get; set; } = [];

    /// <summary>
    /// Values for empty cells, by column or variable name, as mail merge's fallbacks (<c>"first_name": "there"</c>
    /// renders "Hi there!"); a column with a default is never empty to a template.
    /// </summary>
    public Dictionary<string, string> Defaults { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Problem codes whose rows are sent anyway, for data known to be right: <c>merge_tag</c> (a cell holding
    /// <c>{{first_name}}</c>, <c>*|FNAME|*</c>…), <c>formula</c> (a cell starting like a spreadsheet formula),
    /// <c>double_encoded</c> (<c>RenÃ©e</c>). Empty (the default): such rows are rejected before paying.
    /// </summary>
    public List<string> AcceptProblems { get; set; } = [];

    public WriteBackColumns Columns { get; set; } = new();

    /// <summary>A page per recipient served by <c>serve</c> (off by default; see <see cref="Pages.CampaignPageOptions"/>).</summary>
    public Pages.CampaignPageOptions Pages { get; set; } = new();

    /// <summary>Quartz cron expression of the nightly run under <c>batchvideo serve</c>, e.g. <c>0 0 2 * * ?</c>; none: run by hand only.</summary>
    public string? Schedule { get; set; }

    /// <summary>
    /// End of the nightly submission window (time of day in <c>Scheduling:TimeZone</c>, e.g. <c>06:00</c>):
    /// a scheduled run sends no create after it, and what is left stays pending for the next fire. None: the
    /// run feeds the render slots until every row is sent.
    /// </summary>
    public TimeOnly? SubmitUntil { get; set; }

    /// <summary>The CRM table this campaign reads when no --csv is given (nightly runs).</summary>
    public BatchVideo.Sources.Tables.TableSourceOptions? Source { get; set; }

    /// <summary>Which link the URL column gets: <c>page</c> (stable, default), <c>signed</c> (expires) or <c>download</c>.</summary>
    public WriteBack.UrlField UrlField { get; set; } = WriteBack.UrlField.Page;

    /// <summary>
    /// Nothing beyond a sample (<c>run --sample N</c>) is sent until <c>batchvideo approve</c>; a change
    /// of template, title, avatar look, voice, framing or respellings after approval asks for a new sample.
    /// </summary>
    public bool RequireApproval { get; set; }

    /// <summary>
    /// Columns holding names the voice speaks (<c>["first_name", "company"]</c>): <c>batchvideo names</c> lets you hear
    /// each distinct value once, before any video is paid for. Empty: <c>names</c> has nothing to preview.
    /// </summary>
    public List<string> Pronounce { get; set; } = [];

    /// <summary>
    /// Scriban text of the sentence <c>names</c> speaks for a value (it sees the row's columns, respelled); unset: the
    /// first sentence of the row's script that contains the name.
    /// </summary>
    public string? PronounceSentence { get; set; }

    /// <summary>Respellings: how a name is spoken when it differs from how it is written (<see cref="Names.PronunciationOptions"/>).</summary>
    public Names.PronunciationOptions Pronunciations { get; set; } = new();

    /// <summary>Speaking pace of the campaign's voice, for estimating video length and cost before a run.</summary>
    public double WordsPerMinute { get; set; } = 150;

    /// <summary>
    /// What one minute of video costs on an account that reports <c>credits</c> (Enterprise wallets and
    /// subscriptions). A USD wallet is priced from <c>Pricing:UsdPerSecond</c> instead. 0 turns the credit
    /// check off.
    /// </summary>
    public double CreditsPerMinute { get; set; } = 1;
}

/// <summary>A configuration that cannot work: reported at start, before any request (exit code 2).</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
