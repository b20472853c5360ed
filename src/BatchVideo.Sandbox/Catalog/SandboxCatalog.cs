using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace BatchVideo.Sandbox.Catalog;

/// <summary>
/// The avatar looks and voices the sandbox offers, built once from the options. A look given a status in
/// <see cref="SandboxOptions.LookStatuses"/> is private (only private looks carry a status, per AvatarLookItem).
/// </summary>
internal sealed class SandboxCatalog
{
    private readonly FrozenDictionary<string, AvatarLook> looksById;
    private readonly FrozenDictionary<string, VoiceItem> voicesById;

    public SandboxCatalog(SandboxOptions options)
    {
        var voiceIds = options.VoiceIds.Distinct(StringComparer.Ordinal).ToArray();
        Voices = [.. voiceIds.Select((id, i) => new VoiceItem(
            VoiceId: id,
            Name: DisplayName(id),
            Language: "English",
            Gender: GenderOf(i),
            PreviewAudioUrl: null,
            SupportPause: true,
            SupportLocale: false,
            Type: "public"))];
        Looks = [.. options.AvatarIds.Distinct(StringComparer.Ordinal).Select((id, i) => new AvatarLook(
            Id: id,
            Name: DisplayName(id),
            AvatarType: "studio_avatar",
            GroupId: id,
            PreviewImageUrl: null,
            PreviewVideoUrl: null,
            Gender: GenderOf(i),
            Tags: ["sandbox"],
            DefaultVoiceId: voiceIds.Length == 0 ? null : voiceIds[i % voiceIds.Length],
            SupportedApiEngines: options.LookEngines.TryGetValue(id, out var engines) ? [.. engines] : ["avatar_iv", "avatar_iii"],
            ImageWidth: 1920,
            ImageHeight: 1080,
            PreferredOrientation: "landscape",
            Status: options.LookStatuses.GetValueOrDefault(id),
            Error: null))];
        looksById = Looks.ToFrozenDictionary(look => look.Id, StringComparer.Ordinal);
        voicesById = Voices.ToFrozenDictionary(voice => voice.VoiceId, StringComparer.Ordinal);
    }

    public IReadOnlyList<AvatarLook> Looks { get; }

    public IReadOnlyList<VoiceItem> Voices { get; }

    public bool TryGetLook(string id, [NotNullWhen(true)] out AvatarLook? look) => looksById.TryGetValue(id, out look);

    public bool TryGetVoice(string id, [NotNullWhen(true)] out VoiceItem? voice) => voicesById.TryGetValue(id, out voice);

    /// <summary>"sandbox_avatar_anna" becomes "Sandbox Anna": readable in listings, derived so any id works.</summary>
    private static string DisplayName(string id)
    {
        var last = id[(id.LastIndexOf('_') + 1)..];
        return last.Length == 0 ? id : "Sandbox " + char.ToUpperInvariant(last[0]) + last[1..];
    }

    private static string GenderOf(int index) => index % 2 == 0 ? "female" : "male";
}
