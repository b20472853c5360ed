using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BatchVideo.Tests.Support;

/// <summary>A real <c>batchvideo serve</c> process on a free loopback port, for scheduling and cluster tests.</summary>
public sealed class ServeNode : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder log = new();

    private ServeNode(Process process, Uri address)
    {
        this.process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static Uri FreeAddress() => new($"http://127.0.0.1:{FreePort()}/");

    /// <param name="listen">What serve listens on (its --urls), when not <paramref name="at"/> itself (e.g. every interface).</param>
    public static Task<ServeNode> StartAsync(PipelineHarness harness, Uri? at = null, string? listen = null)
    {
        var address = at ?? FreeAddress();
        return StartCommandAsync(harness, address, "serve", "--config", harness.ConfigPath, "--urls", listen ?? address.AbsoluteUri.TrimEnd('/'));
    }

    /// <summary>Runs <paramref name="args"/> (a <c>serve</c> command, as a document prints it) and waits until <paramref name="address"/> is healthy.</summary>
    public static async Task<ServeNode> StartCommandAsync(PipelineHarness harness, Uri address, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(harness);
        var node = new ServeNode(harness.StartCli(args), address);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !node.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri("healthz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException("serve did not become healthy:\n" + node.Log);
    }

    /// <summary>SIGTERM, as systemd or Kubernetes stop a service.</summary>
    public void Terminate() => Process.Start("kill", $"-TERM {process.Id}")!.WaitForExit();

    /// <summary>SIGKILL: the machine dies.</summary>
    public void KillHard() => process.Kill(entireProcessTree: true);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
