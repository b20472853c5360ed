using System.Diagnostics;
using System.Globalization;
using BatchVideo.Ledger;
using BatchVideo.Links;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;
using BatchVideo.WriteBack;
using Microsoft.Extensions.Logging.Abstractions;

namespace BatchVideo.Tests.Links;

[TestFixture]
public sealed class WriteBackLinkTests
{
    private static readonly LedgerEntry Entry = new()
    {
        Campaign = "welcome",
        RecipientKey = "C-1",
        State = LedgerState.Completed,
        IdempotencyKey = "k",
        TitleMarker = "m",
        VideoUrl = "https://files.example/v1.mp4?sig=1",
        VideoPageUrl = "https://app.heygen.com/video/v1",
        LocalPath = Path.Combine(Path.GetTempPath(), "store", "welcome", "v1.mp4"),
    };

    [TestCase(UrlField.Page, "https://app.heygen.com/video/v1")]
    [TestCase(UrlField.Signed, "https://files.example/v1.mp4?sig=1")]
    public void Each_field_writes_its_link(UrlField field, string expected) =>
        Assert.That(WriteBackLink.For(Entry, field, new StorageOptions()), Is.EqualTo(expected));

    [Test]
    public void A_download_is_written_as_its_path_or_under_the_public_base_url()
    {
        var storage = new StorageOptions { Folder = Path.Combine(Path.GetTempPath(), "store") };
        var published = new StorageOptions { Folder = storage.Folder, PublicBaseUrl = new Uri("https://cdn.example.com/videos") };

        Assert.That(WriteBackLink.For(Entry, UrlField.Download, storage), Is.EqualTo(Entry.LocalPath));
        Assert.That(WriteBackLink.For(Entry, UrlField.Download, published), Is.EqualTo("https://cdn.example.com/videos/welcome/v1.mp4"));
        Assert.That(WriteBackLink.For(Entry with { LocalPath = null }, UrlField.Download, storage), Is.Null);
    }

    [Test]
    public void Expiry_is_read_from_the_link_or_estimated()
    {
        var now = DateTimeOffset.Parse("2026-11-25T00:00:00Z", CultureInfo.InvariantCulture);

        Assert.That(SignedLinkExpiry.Of("https://f.example/a.mp4?expires=1800000000&signature=x", now, TimeSpan.FromDays(7)), Is.EqualTo(1_800_000_000_000));
        Assert.That(SignedLinkExpiry.Of("https://f.example/a.mp4?X-Amz-Date=20261124T120000Z&X-Amz-Expires=3600", now, TimeSpan.FromDays(7)),
            Is.EqualTo(DateTimeOffset.Parse("2026-11-24T13:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()));
        Assert.That(SignedLinkExpiry.Of("https://f.example/a.mp4", now, TimeSpan.FromDays(7)), Is.EqualTo(now.AddDays(7).ToUnixTimeMilliseconds()));
    }
}

[TestFixture]
[Category("Integration")]
public sealed class DownloadTests
{
    [Test]
    public async Task A_download_cut_off_halfway_is_resumed_with_a_range_request()
    {
        const int size = 3 * 1024 * 1024;
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero, DownloadInterruptions = 1, VideoFileBytes = size });
        var url = await CompletedVideoUrlAsync(harness);
        using var http = new HttpClient();
        var downloader = new VideoDownloader(http, TimeProvider.System, NullLogger<VideoDownloader>.Instance);
        var path = harness.Folder.File("out/video.mp4");

        var result = await downloader.DownloadAsync(new Uri(url), path, CancellationToken.None);

        Assert.That((result.Succeeded, result.Bytes, result.Resumes), Is.EqualTo((true, (long)size, 1)), result.Problem);
        Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(await http.GetByteArrayAsync(new Uri(url))), "the two halves splice into the file");
        Assert.That(File.Exists(path + ".part"), Is.False);
    }

    [Test]
    public async Task Campaign_with_download_links_stores_every_video_and_writes_its_path()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), DownloadInterruptions = 1, VideoFileBytes = 512 * 1024 });
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["welcome"]!["UrlField"] = "download";
            c["Storage"] = new System.Text.Json.Nodes.JsonObject { ["Folder"] = "videos" };
        });
        var csv = harness.WriteCsv(5);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.ExitCode), Is.EqualTo((5L, 0)), () => string.Join("\n", summary.Problems));
        var paths = File.ReadAllLines(csv).Skip(1).Select(l => l[(l.LastIndexOf(',') + 1)..]).ToList();
        Assert.That(paths, Is.All.StartsWith(harness.Folder.File("videos/welcome/")).And.EndsWith(".mp4"));
        Assert.That(paths.Select(p => new FileInfo(p).Length), Is.All.EqualTo(512 * 1024));
        Assert.That(Directory.GetFiles(harness.Folder.File("videos/welcome"), "*.jpg"), Has.Length.EqualTo(5));
        Assert.That(harness.Sandbox.Stats.FileRequests, Is.EqualTo(15), "each video twice (cut, resumed), each thumbnail once");
    }

    [Test]
    [Explicit("Measurement: prints throughput and allocations of one 1 GiB download from a file served by Kestrel on loopback.")]
    public async Task Measure_download_throughput_and_memory()
    {
        using var folder = new TempFolder();
        var source = folder.File("source.mp4");
        await using (var file = File.Create(source))
        {
            file.SetLength(1L << 30);
        }

        await using var server = await WebhookSink.StartAsync(configure: app =>
            Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/big.mp4", () => Microsoft.AspNetCore.Http.Results.File(source, "video/mp4", enableRangeProcessing: true)));
        using var http = new HttpClient();
        var downloader = new VideoDownloader(http, TimeProvider.System, NullLogger<VideoDownloader>.Instance);
        var url = new Uri(server.BaseAddress, "big.mp4");
        await downloader.DownloadAsync(url, folder.File("warm.mp4"), CancellationToken.None);
        File.Delete(folder.File("warm.mp4"));

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var result = await downloader.DownloadAsync(url, folder.File("big.mp4"), CancellationToken.None);
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.Bytes / 1048576.0:0} MiB in {clock.Elapsed.TotalSeconds:0.00} s = {result.Bytes / 1048576.0 / clock.Elapsed.TotalSeconds:0} MiB/s; allocated in the whole process (client and server) during it: {allocated / 1048576.0:0.0} MiB; heap after: {GC.GetTotalMemory(false) / 1048576.0:0.0} MiB"));
        Assert.That(result.Succeeded, Is.True);
    }

    internal static async Task<string> CompletedVideoUrlAsync(PipelineHarness harness)
    {
        using var client = new HttpClient { BaseAddress = harness.Sandbox.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", "test-key");
        using var created = await client.PostAsync(new Uri("v3/videos", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new
        {
            type = "avatar",
            avatar_id = "sandbox_avatar_anna",
            voice_id = "sandbox_voice_en_warm",
            script = "Hello",
        }));
        var id = (string)System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["data"]!["video_id"]!;
        var detail = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync(new Uri($"v3/videos/{id}", UriKind.Relative)))!;
        return (string)detail["data"]!["video_url"]!;
    }
}
