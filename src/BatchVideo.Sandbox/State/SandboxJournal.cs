using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BatchVideo.Sandbox.Webhooks;

namespace BatchVideo.Sandbox.State;

/// <summary>
/// One change to the sandbox account, as one line of its journal. Exactly one member is set.
/// </summary>
internal sealed record JournalLine
{
    /// <summary>The account's signing secret for file links (hex), written once when the journal is new.</summary>
    public string? LinkSecret { get; init; }

    /// <summary>A video the account accepted; its idempotency key and charge come with it.</summary>
    public SandboxVideo? Video { get; init; }

    /// <summary>What <see cref="Video"/> cost, in the wallet's unit.</summary>
    public double? Cost { get; init; }

    /// <summary>A top-up of the wallet, in its unit.</summary>
    public double? TopUp { get; init; }

    /// <summary>A registered webhook endpoint as it now is (added, updated or rotated: the last line wins).</summary>
    public WebhookEndpoint? Endpoint { get; init; }

    /// <summary>The id of a deleted webhook endpoint.</summary>
    public string? EndpointRemoved { get; init; }

    /// <summary>An event the account raised (so a restart neither forgets nor raises it again).</summary>
    public WebhookEvent? Event { get; init; }

    /// <summary>A template saved in the editor (the sandbox's test switch): its new revision and time.</summary>
    public Templates.TemplateSave? TemplateSaved { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalLine))]
internal sealed partial class JournalJson : JsonSerializerContext;

/// <summary>
/// The sandbox account's memory: an append-only file of <see cref="JournalLine"/>s (JSON lines), so
/// videos, keys, wallet and webhooks outlive the process as they would on a real HeyGen account. Each
/// change is one line, flushed before the answer that depends on it goes out; a line cut short by a
/// killed process is ignored on the next load. The file is held exclusively while the account is
/// served: two processes serving one account would each make the other's videos unknown.
/// </summary>
public sealed class SandboxJournal : IDisposable
{
    private readonly Lock gate = new();
    private readonly FileStream file;

    private SandboxJournal(string path, FileStream file, IReadOnlyList<JournalLine> lines)
    {
        Path = path;
        this.file = file;
        Lines = lines;
    }

    /// <summary>The journal's full path.</summary>
    public string Path { get; }

    /// <summary>What the file held when it was opened, oldest first.</summary>
    internal IReadOnlyList<JournalLine> Lines { get; }

    /// <summary>The videos the account had accepted when the journal was opened, oldest first.</summary>
    public IReadOnlyList<SandboxVideo> Videos => [.. Lines.Where(l => l.Video is not null).Select(l => l.Video!)];

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/> and reads it. Throws
    /// <see cref="SandboxAccountInUseException"/> when another process serves the account.
    /// </summary>
    public static SandboxJournal Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        FileStream file;
        try
        {
            // FileShare.None is an exclusive lock on every platform .NET runs on (flock on Unix).
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new SandboxAccountInUseException($"The sandbox account {path} is in use by another process (a run with --sandbox, or batchvideo sandbox).", e);
        }

        try
        {
            var lines = Read(file);
            file.Seek(0, SeekOrigin.End);
            return new SandboxJournal(path, file, lines);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Appends one change and flushes it to the file.</summary>
    internal void Append(JournalLine line)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, JournalJson.Default.JournalLine);
        lock (gate)
        {
            file.Write(bytes);
            file.WriteByte((byte)'\n');
            file.Flush();
        }
    }

    /// <summary>Releases the file (and with it the account, for the next process).</summary>
    public void Dispose()
    {
        lock (gate)
        {
            file.Dispose();
        }
    }

    private static List<JournalLine> Read(FileStream file)
    {
        var lines = new List<JournalLine>();
        using var reader = new StreamReader(file, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var valid = 0L;
        var position = 0L;
        while (reader.ReadLine() is { } text)
        {
            position += Encoding.UTF8.GetByteCount(text) + 1;
            if (text.Length == 0)
            {
                continue;
            }

            try
            {
                lines.Add(JsonSerializer.Deserialize(text, JournalJson.Default.JournalLine)!);
                valid = position;
            }
            catch (JsonException)
            {
                // A line cut short when the process was killed mid-write: the change never happened
                // (its answer never went out). Anything after it was written by no one.
                break;
            }
        }

        // Drop the cut line, so the next append starts on a line of its own.
        file.SetLength(Math.Min(valid, file.Length));
        return lines;
    }
}

/// <summary>Another process is serving the sandbox account (a run with --sandbox, or batchvideo sandbox).</summary>
public sealed class SandboxAccountInUseException : IOException
{
    public SandboxAccountInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SandboxAccountInUseException()
    {
    }

    public SandboxAccountInUseException(string message)
        : base(message)
    {
    }
}
