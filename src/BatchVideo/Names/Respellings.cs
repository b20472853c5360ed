using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BatchVideo.Campaigns;
using BatchVideo.Scripts;
using BatchVideo.Sources;

namespace BatchVideo.Names;

/// <summary>
/// A campaign's respellings (<see cref="PronunciationOptions"/>) against its source's columns: for one row, the
/// values as they are SPOKEN, where a <c>Pronounce</c> column's cell is replaced by its respelling. What is shown
/// and written back is never touched: callers keep the row's own values for that.
/// </summary>
public sealed class Respellings
{
    private readonly Dictionary<string, string> byValue;
    private readonly int[] pronounced;
    private readonly Dictionary<int, int> phoneticColumn;

    private Respellings(Dictionary<string, string> byValue, int[] pronounced, Dictionary<int, int> phoneticColumn)
    {
        this.byValue = byValue;
        this.pronounced = pronounced;
        this.phoneticColumn = phoneticColumn;
    }

    /// <summary>How many values the file respells.</summary>
    public int FileEntries => byValue.Count;

    /// <summary>
    /// The campaign's respellings for a source of <paramref name="columns"/>; null when it configures none.
    /// </summary>
    /// <exception cref="ConfigurationException">A named column is not in the source, or the file cannot be read (file, line and fix).</exception>
    public static Respellings? For(string name, CampaignOptions campaign, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(columns);
        var options = campaign.Pronunciations;
        if (!options.IsSet)
        {
            return null;
        }

        var pronounced = campaign.Pronounce.Select(c => IndexOf(columns, c, $"Campaigns:{name}:Pronounce")).ToArray();
        var phonetic = new Dictionary<int, int>();
        foreach (var (column, spokenColumn) in options.Columns)
        {
            phonetic[IndexOf(columns, column, $"Campaigns:{name}:Pronunciations:Columns")] =
                IndexOf(columns, spokenColumn, $"Campaigns:{name}:Pronunciations:Columns:{column}");
        }

        var file = options.File is { Length: > 0 } path ? ReadFile(path) : new Dictionary<string, string>(StringComparer.Ordinal);
        return new Respellings(file, [.. pronounced.Concat(phonetic.Keys).Distinct()], phonetic);
    }

    /// <summary>Where <paramref name="column"/> (a header as written, or its template variable) is among <paramref name="columns"/>.</summary>
    /// <exception cref="ConfigurationException">It is not one of them.</exception>
    public static int IndexOf(IReadOnlyList<string> columns, string column, string setting)
    {
        ArgumentNullException.ThrowIfNull(columns);
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], column, StringComparison.OrdinalIgnoreCase)
                || (ScriptRenderer.VariableOf(column).Length > 0 && ScriptRenderer.VariableOf(columns[i]) == ScriptRenderer.VariableOf(column)))
            {
                return i;
            }
        }

        throw new ConfigurationException($"{setting} names '{column}', which is not a column of the source. Its columns are: {string.Join(", ", columns)}.");
    }

    /// <summary>
    /// The row's values as spoken, or null when no cell of it is respelled (what is spoken is then what is shown).
    /// </summary>
    public IReadOnlyList<string>? Spoken(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        string[]? spoken = null;
        foreach (var i in pronounced)
        {
            if (i < values.Count && SpokenOf(i, values) is { } respelled)
            {
                spoken ??= [.. values];
                spoken[i] = respelled;
            }
        }

        return spoken;
    }

    /// <summary>The respelling of the row's cell in <paramref name="column"/>: its phonetic column's, else the file's; null: none.</summary>
    private string? SpokenOf(int column, IReadOnlyList<string> values)
    {
        if (phoneticColumn.TryGetValue(column, out var source) && source < values.Count && !CellText.IsBlank(values[source]))
        {
            return CellText.Clean(values[source]);
        }

        var value = CellText.Clean(values[column]);
        return value.Length > 0 && byValue.TryGetValue(value, out var spoken) && spoken != value ? spoken : null;
    }

    /// <summary>
    /// What a sample approved of the respellings (<see cref="ApprovalFingerprint"/>): the file's bytes and the phonetic
    /// columns. A changed respelling changes what is spoken, so it asks for a new sample.
    /// </summary>
    public static string Fingerprint(PronunciationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = options.File is { Length: > 0 } path && System.IO.File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(path))) : "none";
        var columns = string.Join(',', options.Columns.OrderBy(c => c.Key, StringComparer.OrdinalIgnoreCase).Select(c => $"{c.Key}={c.Value}"));
        return $"file={file};columns={columns}";
    }

    /// <summary>Reads a <c>value,spoken</c> file; every bad line is named with its number and the fix.</summary>
    private static Dictionary<string, string> ReadFile(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new ConfigurationException($"The respellings file {path} (Pronunciations:File) does not exist: make it with lines of value,spoken, or copy them from the listening page of 'batchvideo names'.");
        }

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        var problems = new List<string>();
        var malformed = new MalformedTrap();
        using var reader = CsvHelper.CsvReader.FromFile(path, new CsvHelper.CsvReaderOptions
        {
            Separator = ',',
            HasHeader = false,
            Mode = CsvHelper.CsvMode.Rfc4180,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvHelper.CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvHelper.CsvFieldCountHandling.Allow,
            OnMalformedRecord = malformed.Report,
        });
        var first = true;
        foreach (var row in reader)
        {
            var line = reader.LineNumber;
            var record = row.ToArray();
            var quoting = malformed.Reason(reader.RowNumber);
            if (first && record is [var head, var spokenHead] && head.Trim().Equals("value", StringComparison.OrdinalIgnoreCase) && spokenHead.Trim().Equals("spoken", StringComparison.OrdinalIgnoreCase))
            {
                first = false;
                continue; // the header the listening page writes
            }

            first = false;
            if (record.All(CellText.IsBlank))
            {
                continue;
            }

            if (quoting is not null || record is not [var written, var said] || CellText.IsBlank(written) || CellText.IsBlank(said))
            {
                problems.Add($"{path}:{line}: expected two cells, value,spoken (a value holding a comma goes in double quotes), found {quoting ?? $"{record.Length} cell(s){(record.Length == 2 ? " with one empty" : "")}"}");
                continue;
            }

            var value = CellText.Clean(written);
            var spoken = CellText.Clean(said);
            if (found.TryGetValue(value, out var earlier) && earlier != spoken)
            {
                problems.Add($"{path}:{line}: '{value}' is respelled '{earlier}' on line {lines[value]} and '{spoken}' here; keep one");
                continue;
            }

            found[value] = spoken;
            lines.TryAdd(value, line);
        }

        return problems.Count == 0 ? found : throw new ConfigurationException("The respellings file has problems: " + string.Join("; ", problems) + ".");
    }
}
