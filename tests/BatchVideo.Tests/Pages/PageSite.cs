using System.Text.Json.Nodes;
using BatchVideo.Ledger;
using BatchVideo.Pages;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Pages;

/// <summary>
/// A campaign with pages on, run against the sandbox, and a real <c>batchvideo serve</c> publishing its pages at
/// its own loopback address: what a recipient's browser meets.
/// </summary>
internal sealed class PageSite : IAsyncDisposable
{
    public const int BeaconsPerMinute = 20;

    private PageSite(PipelineHarness harness, ServeNode node, LedgerStore ledger)
    {
        Harness = harness;
        Node = node;
        Ledger = ledger;
    }

    public PipelineHarness Harness { get; }

    public ServeNode Node { get; }

    public LedgerStore Ledger { get; }

    /// <summary>Runs <paramref name="rows"/> contacts with pages on, gives them tokens and starts serve.</summary>
    public static async Task<PageSite> StartAsync(int rows = 3, SandboxOptions? sandbox = null, Func<LedgerStore, Task>? beforeServe = null, JsonObject? pages = null, Action<JsonObject>? configure = null)
    {
        var harness = await PipelineHarness.StartAsync(sandbox ?? new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200) });
        try
        {
            var address = ServeNode.FreeAddress();
            harness.WriteConfig(c =>
            {
                c["Campaigns"]!["welcome"]!["Pages"] = pages ?? new JsonObject { ["Enabled"] = true };
                c["Pages"] = new JsonObject { ["PublicBaseUrl"] = address.AbsoluteUri, ["BeaconsPerMinute"] = BeaconsPerMinute };
                configure?.Invoke(c);
            });
            harness.WriteCsv(rows);
            await harness.RunAsync(harness.Folder.File("contacts.csv"));
            var ledger = harness.Ledger(TimeProvider.System);
            // The write-back gives pages their tokens (issue 25's engagement columns); here the ledger does it directly.
            await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
            if (beforeServe is not null)
            {
                await beforeServe(ledger);
            }

            var node = await ServeNode.StartAsync(harness, address);
            return new PageSite(harness, node, ledger);
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public Uri Address => Node.Address;

    public async Task<string> TokenOfAsync(string key) => (await Ledger.ReadEngagementAsync("welcome", CancellationToken.None))[key].PageToken;

    public async Task<Uri> PageOfAsync(string key) => PageLinks.Url(Address, await TokenOfAsync(key));

    public async Task<Engagement> EngagementOfAsync(string key) => (await Ledger.ReadEngagementAsync("welcome", CancellationToken.None))[key];

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
