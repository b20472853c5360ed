using BatchVideo.Campaigns;
using BatchVideo.Sources;
using CsvHelper;

namespace BatchVideo.Reports;

/// <summary>
/// The rows a command could not send, as a CSV to fix and feed back to <c>run --csv</c>: the source's
/// columns with each row's values as read, then <c>reject_line</c> and <c>reject_reason</c>. Rows are
/// written as they come, so the file costs no memory however many rows it holds; it is created with
/// the first row, so a clean run leaves none. Cells that a spreadsheet would run as a formula are written
/// with a leading apostrophe (<see cref="SpreadsheetCell"/>): the file is meant to be opened in Excel.
/// </summary>
public sealed class RejectsFile : IDisposable
{
    public const string LineColumn = "reject_line";
    public const string ReasonColumn = "reject_reason";

    private readonly string path;
    private readonly string[] header;
    private readonly int width;
    private readonly int lineIndex;
    private readonly int reasonIndex;
    // The producer, the submitters and the follower add rows as they fail, concurrently.
    private readonly Lock gate = new();
    private CsvWriter? writer;
    private bool disposed;

    public RejectsFile(string path, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        this.path = path;
        width = columns.Count;
        var names = columns.ToList();

        // A rejects file fed back and rejected again keeps one pair of reject columns, refreshed.
        lineIndex = IndexOrAppend(names, LineColumn);
        reasonIndex = IndexOrAppend(names, ReasonColumn);
        header = [.. names];
    }

    /// <summary>The file, once a row was written to it.</summary>
    public string? Path => writer is null ? null : path;

    public long Count { get; private set; }

    public void Add(SourceRow row, RowProblem problem)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(problem);
        lock (gate)
        {
            Write(row, problem);
        }
    }

    private void Write(SourceRow row, RowProblem problem)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        writer ??= Open();
        var cells = new string[header.Length];
        for (var i = 0; i < width; i++)
        {
            cells[i] = i < row.Values.Count ? row.Values[i] : "";
        }

        if (row.Values.Count > width && width > 0)
        {
            // A row with more fields than the header (an unquoted separator, usually): nothing is
            // dropped, the surplus joins the last column for the operator to split when fixing it.
            cells[width - 1] = string.Join(",", row.Values.Skip(width - 1));
        }

        cells[lineIndex] = problem.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        cells[reasonIndex] = problem.Reason;
        writer.WriteRecord(cells.Select(SpreadsheetCell.Neutralise).ToArray());
        Count++;
    }

    public void Dispose()
    {
        lock (gate)
        {
            writer?.Dispose();
            disposed = true;
        }
    }

    private CsvWriter Open()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);

        // A byte order mark, so spreadsheet programs read accents right when the operator fixes rows.
        var created = CsvWriter.ToFile(path, new CsvWriterOptions { WriteByteOrderMark = true, NewLine = "\n" });
        created.WriteRecord(header.Select(SpreadsheetCell.Neutralise).ToArray());
        return created;
    }

    private static int IndexOrAppend(List<string> names, string name)
    {
        var index = names.FindIndex(n => string.Equals(n.Trim(), name, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return index;
        }

        names.Add(name);
        return names.Count - 1;
    }
}
