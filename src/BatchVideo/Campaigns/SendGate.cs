using System.Security.Cryptography;
using System.Text;

namespace BatchVideo.Campaigns;

/// <summary>
/// How many of the rows that would be sent a run may send, decided before it starts: a sample's N
/// rows (or its named keys), nothing for a campaign awaiting approval, or everything (no gate). The
/// submit path asks it once per row, just before the claim, so a row turned away is never claimed or
/// paid and stays pending for a later run.
/// </summary>
public sealed class SendGate
{
    private readonly long limit;
    private readonly IReadOnlySet<string>? keys;
    private long admitted;

    private SendGate(long limit, IReadOnlySet<string>? keys, string? refusal)
    {
        this.limit = limit;
        this.keys = keys;
        Refusal = refusal;
    }

    /// <summary>Why rows are held back, for a run that may send nothing (approval missing); null for a sample.</summary>
    public string? Refusal { get; }

    /// <summary>Rows let through so far.</summary>
    public long Admitted => Math.Min(Interlocked.Read(ref admitted), limit);

    /// <summary>True once no further row may pass: for a sample, reading on is pointless.</summary>
    public bool IsFull => Interlocked.Read(ref admitted) >= limit;

    /// <summary>The first <paramref name="rows"/> rows that would be sent, or exactly the rows of <paramref name="sampleKeys"/>.</summary>
    public static SendGate Sample(int? rows, IReadOnlyCollection<string>? sampleKeys) => sampleKeys is { Count: > 0 }
        ? new SendGate(sampleKeys.Count, new HashSet<string>(sampleKeys, StringComparer.Ordinal), null)
        : new SendGate(rows ?? 0, null, null);

    /// <summary>Nothing may be sent, for this reason.</summary>
    public static SendGate Closed(string reason) => new(0, null, reason);

    /// <summary>True when the row of <paramref name="key"/> may be sent (and counts it).</summary>
    public bool TryAdmit(string key)
    {
        if (keys is not null && !keys.Contains(key))
        {
            return false;
        }

        return Interlocked.Increment(ref admitted) <= limit;
    }
}

/// <summary>
/// What a sample shows, as one hash: the script template's text, the title template, the avatar look,
/// the voice and the framing. Approval holds for this hash only; a change asks for a new sample.
/// </summary>
public static class ApprovalFingerprint
{
    /// <param name="templateRevision">
    /// A <c>template</c> campaign's HeyGen template revision as read for the run (<c>TemplateDetail.RevisionMarker</c>): a save
    /// in HeyGen's editor after approval asks for a new sample, as a change of the campaign's own template does.
    /// </param>
    public static string Of(CampaignOptions campaign, string? templateRevision = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var template = File.Exists(campaign.Template) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(campaign.Template))) : "missing";
        string[] parts =
        [
            $"template={template}",
            $"title={campaign.TitleTemplate}",
            $"avatar={campaign.AvatarId}",
            $"voice={campaign.VoiceId}",
            $"aspect={campaign.AspectRatio}",
            $"resolution={campaign.Resolution}",
        ];
        // Only the other types add theirs, so an avatar campaign's approval stays valid across this change.
        parts = [.. parts, .. VideoTypes.Of(campaign).ApprovalParts(campaign)];
        if (templateRevision is not null)
        {
            parts = [.. parts, $"template_revision={templateRevision}"];
        }

        if (campaign.Pronunciations.IsSet)
        {
            // Respellings change what every video says; only a campaign that has them adds them.
            parts = [.. parts, $"respellings={Names.Respellings.Fingerprint(campaign.Pronunciations)}"];
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
    }
}
