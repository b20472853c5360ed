using System.Net;
using System.Net.Sockets;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// A loopback TCP relay in front of the sandbox that can make it unreachable: during an outage it refuses new
/// connections and resets the open ones, as a network cut or a HeyGen outage does to the client.
/// </summary>
internal sealed class OutageProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> open = [];
    private TcpListener listener;
    private Task accepting;

    public OutageProxy(Uri sandbox)
    {
        target = new IPEndPoint(IPAddress.Loopback, sandbox.Port);
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        accepting = AcceptAsync(listener);
    }

    public Uri Address { get; }

    /// <summary>From now on nothing reaches the sandbox: connections are refused, open ones reset.</summary>
    public async Task BeginOutageAsync()
    {
        listener.Stop();
        await accepting;
        lock (open)
        {
            foreach (var client in open)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
            }

            open.Clear();
        }
    }

    /// <summary>The sandbox is reachable again, on the same address.</summary>
    public void EndOutage()
    {
        listener = new TcpListener(IPAddress.Loopback, Address.Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        accepting = AcceptAsync(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        lock (open)
        {
            open.ForEach(c => c.Dispose());
        }

        stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener from)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await from.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        lock (open)
        {
            open.Add(client);
            open.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(target, stop.Token);
            var down = client.GetStream();
            var up = upstream.GetStream();
            await Task.WhenAny(down.CopyToAsync(up, stop.Token), up.CopyToAsync(down, stop.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // cut by an outage, or closed by either side
        }
        finally
        {
            lock (open)
            {
                open.Remove(client);
                open.Remove(upstream);
            }

            client.Dispose();
        }
    }
}
