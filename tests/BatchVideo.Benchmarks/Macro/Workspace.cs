using System.Globalization;
using System.Text;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>A folder of its own for one scenario (CSV, template, ledger), removed afterwards.</summary>
internal sealed class Workspace : IDisposable
{
    public const string Script = "Hi {{ first_name }}! Here is a short video for {{ company }}.";
    public const string Title = "Welcome {{ first_name }}";

    public Workspace(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "batchvideo-bench", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(Path);
        File.WriteAllText(FilePath("welcome.sbn"), Script);
    }

    public string Path { get; }

    public string Template => FilePath("welcome.sbn");

    public string FilePath(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A CRM export of <paramref name="rows"/> contacts with keys C-1..C-n, streamed to disk.</summary>
    public string WriteContacts(int rows, string name = "contacts.csv")
    {
        var path = FilePath(name);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("id,first_name,last_name,email,company,city\n");
        for (var i = 1; i <= rows; i++)
        {
            writer.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"C-{i},Name{i},Surname{i},person{i}@example.com,\"Company {i % 9973}, Inc.\",City{i % 101}\n"));
        }

        return path;
    }

    public void Dispose()
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file for a moment; the OS temp cleanup gets it.
        }
    }
}
