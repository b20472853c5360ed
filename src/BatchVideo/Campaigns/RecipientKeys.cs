using System.Text.RegularExpressions;
using BatchVideo.Sources;

namespace BatchVideo.Campaigns;

/// <summary>
/// How a recipient key read from a file is compared, before the duplicate check and as the ledger's key
/// (<c>Campaigns:&lt;name&gt;:KeyComparison</c>): one person must be one key however the export spelled it.
/// </summary>
public static partial class RecipientKeys
{
    /// <summary>Byte for byte, as written in the file.</summary>
    public const string Exact = "exact";

    /// <summary>Without white space and invisible characters at the edges (<see cref="CellText.Clean"/>).</summary>
    public const string Trimmed = "trimmed";

    /// <summary>Trimmed and case-insensitive: <c>Ann@Example.com</c> and <c>ann@example.com</c> are one person.</summary>
    public const string Email = "email";

    public static IReadOnlyList<string> Comparisons { get; } = [Exact, Trimmed, Email];

    /// <summary>
    /// The key as the ledger holds it. Unset (the default) is <see cref="Trimmed"/>, and <see cref="Email"/>
    /// for a key that is an e-mail address (it has an <c>@</c>): mail systems treat addresses case-insensitively,
    /// and CRMs export the same address in the case each record was typed in. Ledger migration 6 folded the
    /// e-mail keys recorded before this rule the same way, so they are still found.
    /// </summary>
    public static string Normalize(string value, string? comparison)
    {
        ArgumentNullException.ThrowIfNull(value);
        return comparison?.ToLowerInvariant() switch
        {
            Exact => value,
            Trimmed => CellText.Clean(value),
            Email => CellText.Clean(value).ToLowerInvariant(),
            _ => CellText.Clean(value) is var clean && clean.Contains('@', StringComparison.Ordinal) ? clean.ToLowerInvariant() : clean,
        };
    }

    /// <summary>
    /// A key that Excel turned into scientific notation (<c>1.23457E+11</c>): a long number id opened and
    /// saved in Excel keeps only six digits, so different people end up with one key.
    /// </summary>
    public static bool IsExcelScientific(string key) => ExcelScientific().IsMatch(key);

    /// <summary>Why a row whose key Excel reformatted is rejected, and how to export the column as text.</summary>
    public static string ExcelScientificReason(string key, string column) =>
        $"the key '{key}' is a number Excel reformatted in scientific notation, so different ids look alike (the real digits are lost); "
        + $"export the file again with the column '{column}' as text (in Excel: Data > From Text/CSV, set the column's type to Text, then save as CSV UTF-8; "
        + "or export from the CRM straight to CSV without opening it in Excel)";

    [GeneratedRegex(@"^[+-]?\d(\.\d+)?E[+-]?\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExcelScientific();
}
