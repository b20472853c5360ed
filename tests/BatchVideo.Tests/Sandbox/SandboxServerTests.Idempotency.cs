using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Sandbox;

/// <summary>The sandbox's Idempotency-Key: replays, races, the window, and what does not consume a key.</summary>
public sealed partial class SandboxServerTests
{
    [Test]
    public async Task Same_idempotency_key_replays_the_original_video()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var first = await PostVideoAsync(client, AvatarVideo("First body"), idempotencyKey: "row-42");
        using var second = await PostVideoAsync(client, AvatarVideo("A different body"), idempotencyKey: "row-42");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(1));
        Assert.That(server.Stats.IdempotentReplays, Is.EqualTo(1));
        Assert.That(server.Videos.Single().IdempotencyKey, Is.EqualTo("row-42"));
        Assert.That(server.Videos.Single().Script, Is.EqualTo("First body"));
    }

    [Test]
    public async Task Concurrent_creates_with_one_idempotency_key_create_one_video()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(_ => PostVideoAsync(client, AvatarVideo("Race"), idempotencyKey: "same-key")));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        var ids = new HashSet<string>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
            ids.Add((string)(await DataAsync(response))["video_id"]!);
        foreach (var response in responses)
            response.Dispose();

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Conflict));
        Assert.That(ids, Has.Count.EqualTo(1));
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(1));
        Assert.That(server.Stats.IdempotentReplays + server.Stats.InProgressConflicts, Is.EqualTo(49));
    }

    [Test]
    public async Task Repeat_while_the_original_hangs_gets_409_then_the_replay()
    {
        var time = new FakeTimeProvider(Start);
        var options = new SandboxOptions { TimeProvider = time, HangRate = 1, HangDuration = TimeSpan.FromSeconds(30) };
        await using var server = await SandboxServer.StartAsync(options);
        using var client = ClientFor(server);

        var hanging = PostVideoAsync(client, AvatarVideo("Hang on"), idempotencyKey: "slow-1");
        await WaitUntilAsync(() => server.Stats.VideosCreated == 1);
        using var duringHang = await PostVideoAsync(client, AvatarVideo("Hang on"), idempotencyKey: "slow-1");
        var conflict = await ErrorAsync(duringHang);

        // The hang waits on the fake clock; keep nudging it until the held answer is released.
        while (!hanging.IsCompleted)
        {
            time.Advance(options.HangDuration);
            await Task.WhenAny(hanging, Task.Delay(50));
        }

        using var original = await hanging;
        using var afterHang = await PostVideoAsync(client, AvatarVideo("Hang on"), idempotencyKey: "slow-1");

        Assert.That(duringHang.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((string?)conflict["code"], Is.EqualTo("request_in_progress"));
        Assert.That(original.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)(await DataAsync(afterHang))["video_id"], Is.EqualTo((string?)(await DataAsync(original))["video_id"]));
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(1));
        Assert.That(server.Stats.InProgressConflicts, Is.EqualTo(1));
        Assert.That(server.Stats.InjectedFaults, Is.EqualTo(1));
    }

    [Test]
    public async Task Idempotency_key_is_forgotten_after_the_window()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time, IdempotencyWindow = TimeSpan.FromHours(1) });
        using var client = ClientFor(server);

        var first = await CreateVideoIdAsync(client, AvatarVideo("Once"), idempotencyKey: "k-1");
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var second = await CreateVideoIdAsync(client, AvatarVideo("Once"), idempotencyKey: "k-1");

        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(2));
    }

    [Test]
    public async Task Error_answer_does_not_consume_the_idempotency_key()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var rejected = await PostVideoAsync(client, AvatarVideo("Hi", avatarId: "no_such_avatar"), idempotencyKey: "k-2");
        using var accepted = await PostVideoAsync(client, AvatarVideo("Hi"), idempotencyKey: "k-2");

        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(1));
        Assert.That(server.Stats.IdempotentReplays, Is.Zero);
    }

    [Test]
    public async Task Malformed_idempotency_key_is_400()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var response = await PostVideoAsync(client, AvatarVideo("Hi"), idempotencyKey: "has space");
        var error = await ErrorAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error["code"], Is.EqualTo("invalid_parameter"));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }
}
