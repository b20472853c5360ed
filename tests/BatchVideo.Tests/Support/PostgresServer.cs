using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BatchVideo.Tests.Support;

/// <summary>
/// A private PostgreSQL server for the test run: initdb into a temp folder, pg_ctl on a free loopback
/// port, removed at the end. As root the server runs as the postgres user (initdb refuses root).
/// This file has no test framework in it, so the benchmarks link it too; the tests' gate is in PostgresServer.Shared.cs.
/// </summary>
public sealed partial class PostgresServer
{
    private static readonly Lazy<PostgresServer?> SharedServer = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? unavailable;

    private readonly string bin;
    private readonly string dataDirectory;
    private readonly bool asPostgresUser;

    private PostgresServer(string bin, string dataDirectory, int port, bool asPostgresUser)
    {
        this.bin = bin;
        this.dataDirectory = dataDirectory;
        this.asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The shared server, started on first use; null when PostgreSQL is not installed (see <see cref="Unavailable"/>).</summary>
    public static PostgresServer? SharedOrNull => SharedServer.Value;

    /// <summary>Why <see cref="SharedOrNull"/> is null.</summary>
    public static string? Unavailable => unavailable;

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    /// <summary>Creates an empty database of its own for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=5;Command Timeout=30";
    }

    /// <summary>Stops the server at once (as a crash would), for outage tests.</summary>
    public void Stop() => PgCtl("-m immediate -w stop");

    public void Start() => PgCtl($"-w -t 30 -l {dataDirectory}/server.log -o \"-p {Port} -k {dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start");

    internal static void StopShared()
    {
        if (SharedServer.IsValueCreated && SharedServer.Value is { } server)
        {
            try
            {
                server.Stop();
            }
            finally
            {
                Directory.Delete(server.dataDirectory, recursive: true);
            }
        }
    }

    private static PostgresServer? StartShared()
    {
        var bin = FindBin();
        if (bin is null)
        {
            unavailable = "no initdb was found under /usr/lib/postgresql/*/bin or on PATH";
            return null;
        }

        var root = Environment.UserName == "root";
        var data = Path.Combine(Path.GetTempPath(), "batchvideo-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        if (root)
        {
            Run("chown", $"postgres {data}", asPostgresUser: false);
        }

        var server = new PostgresServer(bin, data, FreePort(), root);
        server.Run(Path.Combine(bin, "initdb"), $"-D {data}/db -A trust -U postgres -E UTF8 --no-sync --locale=C");
        server.Start();
        return server;
    }

    private void PgCtl(string arguments) => Run(Path.Combine(bin, "pg_ctl"), $"-D {dataDirectory}/db {arguments}");

    private void Run(string file, string arguments) => Run(file, arguments, asPostgresUser);

    private static void Run(string file, string arguments, bool asPostgresUser)
    {
        var start = asPostgresUser
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed: {output.Result}{error.Result}");
        }
    }

    private static string? FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        foreach (var version in versions)
        {
            var bin = Path.Combine(version, "bin");
            if (File.Exists(Path.Combine(bin, "initdb")))
            {
                return bin;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(p => File.Exists(Path.Combine(p, "initdb")) && File.Exists(Path.Combine(p, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
