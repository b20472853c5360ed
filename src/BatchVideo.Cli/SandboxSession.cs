using System.CommandLine;
using BatchVideo.Campaigns;
using BatchVideo.Sandbox;
using BatchVideo.Sandbox.State;

namespace BatchVideo.Cli;

/// <summary>
/// The sandbox account of a configuration folder, for every command given <c>--sandbox</c>: it lives in
/// <see cref="JournalFile"/> beside the sandbox ledger, so videos, keys, wallet and webhooks outlive each
/// process, as a real account's do. The first command served it in-process on <see cref="AccountPort"/>
/// (so the links it writes are the ones <c>batchvideo sandbox</c> serves later); when another process
/// already serves it (a <c>batchvideo sandbox</c>, another run), the command uses that one.
/// </summary>
internal sealed class SandboxSession : IAsyncDisposable
{
    /// <summary>The port the account's links name: <c>batchvideo sandbox</c>'s default.</summary>
    public const int AccountPort = 5080;

    /// <summary>The account's journal, beside the sandbox ledger.</summary>
    public const string JournalFile = "batchvideo-sandbox-account.jsonl";

    /// <summary>Where the process serving the account says it listens, while it does.</summary>
    public const string AddressFile = "batchvideo-sandbox-account.address";

    /// <summary>The ledger of sandbox runs, apart from the real one (relative to the configuration's folder).</summary>
    public const string Ledger = "batchvideo-sandbox-ledger.db";

    private readonly SandboxServer? _server;
    private readonly SandboxJournal? _journal;
    private readonly string? _addressFile;

    private SandboxSession(Uri baseAddress, SandboxServer? server, SandboxJournal? journal, string? addressFile)
    {
        BaseAddress = baseAddress;
        _server = server;
        _journal = journal;
        _addressFile = addressFile;
    }

    /// <summary>The account's root, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server this process runs, or null when another process serves the account.</summary>
    public SandboxServer? Server => _server;

    /// <summary>The files of the account and its ledger, in <paramref name="folder"/>.</summary>
    public static IEnumerable<string> Files(string folder) =>
        [Path.Combine(folder, JournalFile), Path.Combine(folder, AddressFile),
         .. Directory.EnumerateFiles(folder, Ledger + "*")];

    /// <summary>The folder of the configuration (the account and the sandbox ledger live there).</summary>
    public static string FolderOf(string? configPath) => Path.GetDirectoryName(Path.GetFullPath(configPath ?? "appsettings.json"))!;

    /// <summary>The <c>--sandbox</c> option of a command.</summary>
    public static Option<bool> Option(string description) => new("--sandbox") { Description = description };

    /// <summary>The settings that point a command at the account and its ledger, never at the real ones.</summary>
    public Dictionary<string, string?> Overrides() => new()
    {
        ["HeyGen:BaseUrl"] = BaseAddress.AbsoluteUri,
        ["HeyGen:ApiKey"] = "sandbox",
        ["HeyGen:PollInterval"] = TimeSpan.FromMilliseconds(500).ToString(),
        // Sandbox videos are not real: they must never mark a recipient done in the real ledger.
        ["Ledger:ConnectionString"] = "Data Source=" + Ledger,
    };

    /// <summary>Only the sandbox ledger, for commands that read the ledger and send nothing (status, approve, db).</summary>
    public static Dictionary<string, string?> LedgerOnly(bool sandbox) =>
        sandbox ? new() { ["Ledger:ConnectionString"] = "Data Source=" + Ledger } : [];

    /// <summary>For a command given <c>--sandbox</c>: the account, served here or by the process that serves it; else null.</summary>
    public static async Task<SandboxSession?> OpenIfAsync(bool sandbox, string? configPath, CancellationToken ct, int? port = null) =>
        sandbox ? await OpenAsync(configPath, SandboxCommand.LoadOptions(configPath), port, mayJoin: true, ct) : null;

    /// <summary>
    /// Serves the account of <paramref name="configPath"/>'s folder in this process on <paramref name="port"/>
    /// (null: <see cref="AccountPort"/>, or a free one when that is taken), or joins the process that
    /// already serves it (only when <paramref name="mayJoin"/>).
    /// </summary>
    public static async Task<SandboxSession> OpenAsync(string? configPath, SandboxOptions options, int? port, bool mayJoin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = FolderOf(configPath);
        SandboxJournal journal;
        try
        {
            journal = SandboxJournal.Open(Path.Combine(folder, JournalFile));
        }
        catch (SandboxAccountInUseException e)
        {
            if (mayJoin && await RunningAddressAsync(folder, ct) is { } running)
            {
                return new SandboxSession(running, null, null, null);
            }

            throw new ConfigurationException($"{e.Message} Stop it (Ctrl+C) or wait for it to finish, then try again.", e);
        }

        try
        {
            var server = await StartAsync(options, port, journal, ct);
            var addressFile = Path.Combine(folder, AddressFile);
            await File.WriteAllTextAsync(addressFile, server.BaseAddress.AbsoluteUri, ct);
            return new SandboxSession(server.BaseAddress, server, journal, addressFile);
        }
        catch
        {
            journal.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_addressFile is not null)
        {
            File.Delete(_addressFile);
        }

        _journal?.Dispose();
    }

    private static async Task<SandboxServer> StartAsync(SandboxOptions options, int? port, SandboxJournal journal, CancellationToken ct)
    {
        try
        {
            return await SandboxServer.StartAsync(options, port ?? AccountPort, journal, ct);
        }
        catch (IOException) when (port is null)
        {
            // The account's port is taken by something else: serve on a free one; the run's summary says
            // how to open its links again.
            return await SandboxServer.StartAsync(options, 0, journal, ct);
        }
    }

    /// <summary>The address the serving process wrote, if it answers there (it may still be starting).</summary>
    private static async Task<Uri?> RunningAddressAsync(string folder, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var path = Path.Combine(folder, AddressFile);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                if (File.Exists(path) && Uri.TryCreate((await File.ReadAllTextAsync(path, ct)).Trim(), UriKind.Absolute, out var address)
                    && await http.GetStringAsync(new Uri(address, "healthz"), ct) == "ok")
                {
                    return address;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Not up yet, or gone: look again shortly.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, ct);
        }

        return null;
    }
}
