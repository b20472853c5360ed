using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox.State;

namespace BatchVideo.Sandbox.Templates;

/// <summary>A scene of a sandbox template: its script with <c>{{name}}</c> placeholders and the variables it uses.</summary>
internal sealed record SandboxScene(string SceneId, string? Script, IReadOnlyList<string> VariableNames);

/// <summary>A variable of a sandbox template and its current value (text, media URL, voice or look id).</summary>
internal sealed record SandboxTemplateVariable(string Name, string Type, string Value);

/// <summary>A template as the editor saved it; its revision lives in <see cref="SandboxTemplates"/>.</summary>
internal sealed record SandboxTemplate(
    string Id,
    string Name,
    string AspectRatio,
    IReadOnlyList<SandboxScene> Scenes,
    IReadOnlyList<SandboxTemplateVariable> Variables)
{
    public SandboxTemplateVariable? Variable(string name) => Variables.FirstOrDefault(v => v.Name == name);

    /// <summary>
    /// A variable as <c>GET /v3/templates/{id}</c> returns it, "in the same shape the generate request accepts":
    /// <c>{"name","type","properties":{…}}</c> with the value where HeyGen's template guides put it.
    /// </summary>
    public static JsonObject ToJson(SandboxTemplateVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var properties = new JsonObject { [ValueProperty(variable.Type)!] = variable.Value };
        if (variable.Type is "image" or "video")
        {
            properties["fit"] = "contain";
        }

        if (variable.Type == "character")
        {
            properties["type"] = "avatar";
        }

        return new JsonObject { ["name"] = variable.Name, ["type"] = variable.Type, ["properties"] = properties };
    }

    /// <summary>Where a type keeps its value inside <c>properties</c> (docs.heygen.com template guides).</summary>
    public static string? ValueProperty(string? type) => type switch
    {
        "text" => "content",
        "image" or "video" or "audio" => "url",
        "voice" => "voice_id",
        "character" => "character_id",
        _ => null,
    };
}

/// <summary>
/// The account's templates: a small catalogue of the sandbox's own, built from its looks and voices, whose
/// revisions move when a template is "saved in the editor" (<see cref="Save"/>, the test switch). Every
/// template has variables, since HeyGen lists only "API-ready templates" (heygen-cli gen/template.go).
/// </summary>
internal sealed class SandboxTemplates
{
    /// <summary>Three text variables over two scenes, an image and a voice: the template.</summary>
    public const string WelcomeId = "tpl_sandbox_welcome";

    /// <summary>One of each remaining type (video, audio, character) beside a text variable.</summary>
    public const string TourId = "tpl_sandbox_tour";

    // 2026-11-01T00:00:00Z: a fixed creation time, so listings are the same on every run.
    private const long CreatedAt = 1_793_491_200;

    private readonly ConcurrentDictionary<string, (long Revision, long UpdatedAt)> revisions = new(StringComparer.Ordinal);
    private readonly Lock saveLock = new();
    private readonly SandboxOptions options;
    private readonly SandboxJournal? journal;

    public SandboxTemplates(SandboxOptions options, SandboxJournal? journal = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.journal = journal;
        var voice = options.VoiceIds.First();
        var look = options.AvatarIds.First();
        All =
        [
            new SandboxTemplate(WelcomeId, "Sandbox Welcome", "16:9",
                [
                    new SandboxScene("scene_welcome_hello", "Hi {{first_name}}, this is a quick hello for everyone at {{company}}.", ["first_name", "company", "logo", "narrator"]),
                    new SandboxScene("scene_welcome_offer", "{{first_name}}, we saved {{offer}} for you. See you soon!", ["first_name", "offer", "narrator"]),
                ],
                [
                    new SandboxTemplateVariable("first_name", "text", "there"),
                    new SandboxTemplateVariable("company", "text", "your company"),
                    new SandboxTemplateVariable("offer", "text", "a free month"),
                    new SandboxTemplateVariable("logo", "image", "https://files.sandbox.invalid/templates/logo.png"),
                    new SandboxTemplateVariable("narrator", "voice", voice),
                ]),
            new SandboxTemplate(TourId, "Sandbox Product Tour", "9:16",
                [
                    new SandboxScene("scene_tour_intro", "Meet {{product}}.", ["product", "presenter", "broll"]),
                    new SandboxScene("scene_tour_outro", null, ["music"]),
                ],
                [
                    new SandboxTemplateVariable("product", "text", "our product"),
                    new SandboxTemplateVariable("presenter", "character", look),
                    new SandboxTemplateVariable("broll", "video", "https://files.sandbox.invalid/templates/broll.mp4"),
                    new SandboxTemplateVariable("music", "audio", "https://files.sandbox.invalid/templates/music.mp3"),
                ]),
        ];
        foreach (var template in All)
        {
            revisions[template.Id] = (1, CreatedAt);
        }
    }

    /// <summary>The catalogue, in listing order.</summary>
    public IReadOnlyList<SandboxTemplate> All { get; }

    public bool TryGet(string id, [NotNullWhen(true)] out SandboxTemplate? template)
    {
        template = All.FirstOrDefault(t => t.Id == id);
        return template is not null;
    }

    /// <summary>The template's revision (1 when new) and the Unix second of its last save.</summary>
    public (long Revision, long UpdatedAt) RevisionOf(string id) => revisions[id];

    /// <summary>
    /// A save in HeyGen's editor: the revision goes up by one and <c>updated_at</c> becomes now (journaled, so the
    /// account remembers it). Returns the new revision.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No template has that id.</exception>
    public TemplateSave Save(string id)
    {
        if (!TryGet(id, out _))
        {
            throw new KeyNotFoundException($"The sandbox has no template '{id}'.");
        }

        var now = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        lock (saveLock)
        {
            var (revision, updatedAt) = revisions[id];
            var save = new TemplateSave(id, revision + 1, Math.Max(now, updatedAt));
            journal?.Append(new JournalLine { TemplateSaved = save });
            revisions[id] = (save.Revision, save.UpdatedAt);
            return save;
        }
    }

    /// <summary>Puts back a save an earlier process of this account recorded.</summary>
    public void Restore(TemplateSave save)
    {
        ArgumentNullException.ThrowIfNull(save);
        if (TryGet(save.TemplateId, out _))
        {
            revisions[save.TemplateId] = (save.Revision, save.UpdatedAt);
        }
    }
}

/// <summary>A template saved in the editor: its id, new revision and the Unix second of the save.</summary>
internal sealed record TemplateSave(string TemplateId, long Revision, long UpdatedAt);
