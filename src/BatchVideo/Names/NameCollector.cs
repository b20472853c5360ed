using BatchVideo.Campaigns;
using BatchVideo.Scripts;
using BatchVideo.Sources;

namespace BatchVideo.Names;

/// <summary>
/// Reads a campaign's source once and gathers the distinct values of its <c>Pronounce</c> columns, each with the
/// sentence that speaks it in the row's voice: one entry per value, voice and settings, never one per row.
/// </summary>
public static class NameCollector
{
    /// <summary>How many keys of the rows carrying a name the listening page shows.</summary>
    public const int KeysShown = 5;

    /// <exception cref="ConfigurationException">The campaign names no <c>Pronounce</c> column, a column is not in the source, or there is no voice.</exception>
    public static async Task<NameList> CollectAsync(PreparedRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var campaign = run.Options;
        if (campaign.Pronounce.Count == 0)
        {
            throw new ConfigurationException(
                $"Campaign {run.Campaign} names no column to hear: set Campaigns:{run.Campaign}:Pronounce, e.g. [\"first_name\", \"company\"].");
        }

        var columns = run.Source.Columns;
        var pronounced = campaign.Pronounce.Select(c => Respellings.IndexOf(columns, c, $"Campaigns:{run.Campaign}:Pronounce")).Distinct().ToArray();
        var sentence = campaign.PronounceSentence is { } text
            ? new ScriptRenderer(ScriptTemplate.Parse(text, $"Campaigns:{run.Campaign}:PronounceSentence"), null, columns, campaign.OptionalColumns, campaign.Defaults, SpeechMaxText)
            {
                AcceptedProblems = run.Renderer.AcceptedProblems,
            }
            : null;
        var keyIndex = RowClassifier.KeyIndex(run.Source);
        var names = new Dictionary<(int, string, string, string, double?, string?), NameEntry>();
        long read = 0, skipped = 0;
        await foreach (var row in run.Source.ReadRowsAsync(ct))
        {
            read++;
            var key = row.Key(keyIndex);
            var (choices, bad) = run.Choices?.Read(row.Values) ?? (null, null);
            if (row.Problem is not null || key.Length == 0 || bad is not null)
            {
                skipped++;
                continue;
            }

            var voice = choices?.Voice ?? campaign.VoiceId;
            if (string.IsNullOrWhiteSpace(voice))
            {
                throw new ConfigurationException(
                    $"Campaign {run.Campaign} has no voice to hear names in: set Campaigns:{run.Campaign}:VoiceId (a {campaign.Type} campaign may leave it to HeyGen, but a preview needs one).");
            }

            var spokenValues = run.Respellings?.Spoken(row.Values) ?? row.Values;
            foreach (var i in pronounced.Where(i => i < row.Values.Count))
            {
                var value = CellText.Clean(row.Values[i]);
                if (CellText.Speakable(value).Length == 0)
                {
                    continue;
                }

                var spoken = CellText.Clean(spokenValues[i]);
                var id = (i, value, spoken, voice, choices?.VoiceSpeed, choices?.VoiceLocale);
                if (!names.TryGetValue(id, out var entry))
                {
                    var said = SentenceOf(run, sentence, spokenValues, key, spoken);
                    entry = new NameEntry(columns[i], value, spoken, said, voice, choices?.VoiceSpeed, choices?.VoiceLocale);
                    names[id] = entry;
                }

                entry.Rows++;
                if (entry.Keys.Count < KeysShown)
                {
                    entry.Keys.Add(key);
                }
            }
        }

        return new NameList([.. names.Values], read, skipped);
    }

    /// <summary><c>text</c>'s maxLength of <c>POST /v3/voices/speech</c>.</summary>
    private const int SpeechMaxText = HeyGen.SpeechRequest.MaxText;

    /// <summary>
    /// The campaign's sentence for the row, else the first sentence of the row's spoken script that holds the name,
    /// else the name alone (a row whose script does not render still lets its name be heard).
    /// </summary>
    private static string SentenceOf(PreparedRun run, ScriptRenderer? sentence, IReadOnlyList<string> spokenValues, string key, string spokenName)
    {
        if (sentence is not null)
        {
            return sentence.Render(spokenValues, key, run.Campaign).Script is { Length: > 0 } own ? own : spokenName;
        }

        var script = run.Renderer.Render(spokenValues, key, run.Campaign).Script;
        return script is null ? spokenName : FirstSentenceWith(script, spokenName) ?? spokenName;
    }

    /// <summary>The first sentence (ended by . ! ? or their CJK forms, or a line break) of <paramref name="script"/> that contains <paramref name="name"/>.</summary>
    public static string? FirstSentenceWith(string script, string name)
    {
        ArgumentNullException.ThrowIfNull(script);
        var start = 0;
        for (var i = 0; i <= script.Length; i++)
        {
            var end = i == script.Length
                || script[i] is '\n' or '\r' or '。' or '！' or '？'
                || (script[i] is '.' or '!' or '?' && (i + 1 == script.Length || char.IsWhiteSpace(script[i + 1])));
            if (!end)
            {
                continue;
            }

            var piece = script[start..Math.Min(script.Length, i + 1)].Trim();
            if (piece.Contains(name, StringComparison.OrdinalIgnoreCase) && piece.Length <= SpeechMaxText)
            {
                return piece;
            }

            start = i + 1;
        }

        return null;
    }
}
