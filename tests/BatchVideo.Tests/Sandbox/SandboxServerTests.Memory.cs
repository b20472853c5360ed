using System.Net;
using System.Net.Http.Json;
using BatchVideo.Sandbox;
using BatchVideo.Sandbox.State;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sandbox;

/// <summary>With a journal, the sandbox is an account that remembers across processes, as HeyGen's does.</summary>
public sealed partial class SandboxServerTests
{
    [Test]
    public async Task Account_with_a_journal_remembers_videos_keys_wallet_and_webhooks_across_servers()
    {
        using var folder = new TempFolder();
        var path = folder.File("account.jsonl");
        var options = new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200), RemainingCredits = 50 };
        string id, endpoint, fileLink;
        double remaining;
        using (var journal = SandboxJournal.Open(path))
        await using (var first = await SandboxServer.StartAsync(options, 0, journal))
        {
            using var client = ClientFor(first);
            id = await CreateVideoIdAsync(client, AvatarVideo("Hello Ann"), idempotencyKey: "bv-ann-1");
            first.TopUp(5);
            using var registered = await client.PostAsJsonAsync(new Uri("v3/webhooks/endpoints", UriKind.Relative), new { url = "https://example.com/hook", events = new[] { "avatar_video.success" } });
            endpoint = (string)(await DataAsync(registered))["endpoint_id"]!;
            await Task.Delay(TimeSpan.FromMilliseconds(400));
            fileLink = (string)(await GetVideoAsync(client, id))["video_url"]!;
            remaining = (double)(await GetDataAsync(client, "v3/users/me"))["wallet"]!["remaining_balance"]!;
        }

        // A second process would cut the last line if the first died mid-write: a torn line is no change.
        await File.AppendAllTextAsync(path, "{\"video\":{\"id\":\"cut");
        using var reopened = SandboxJournal.Open(path);
        await using var second = await SandboxServer.StartAsync(options, 0, reopened);
        using var again = ClientFor(second);
        using var replay = await PostVideoAsync(again, AvatarVideo("Hello Ann"), "bv-ann-1");
        var video = await GetVideoAsync(again, id);
        var me = await GetDataAsync(again, "v3/users/me");
        var hooks = await ListAsync(again, "v3/webhooks/endpoints");
        using var file = await new HttpClient().GetAsync(new Uri(second.BaseAddress, new Uri(fileLink).PathAndQuery));

        Assert.That((string)(await DataAsync(replay))["video_id"]!, Is.EqualTo(id), "the key replays its first answer");
        Assert.That(second.Stats.VideosCreated, Is.Zero, "nothing paid twice");
        Assert.That((string?)video["status"], Is.EqualTo("completed"));
        Assert.That((double)me["wallet"]!["remaining_balance"]!, Is.EqualTo(remaining).Within(1e-9));
        Assert.That(hooks["data"]!.AsArray().Select(h => (string)h!["endpoint_id"]!), Is.EqualTo(new[] { endpoint }));
        Assert.That(file.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a file link signed by the first server still opens");
    }

    [Test]
    public void Account_is_served_by_one_process_at_a_time()
    {
        using var folder = new TempFolder();
        using var journal = SandboxJournal.Open(folder.File("account.jsonl"));

        Assert.That(() => SandboxJournal.Open(folder.File("account.jsonl")), Throws.TypeOf<SandboxAccountInUseException>());
    }
}
