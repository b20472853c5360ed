using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Sandbox;

/// <summary>The sandbox's defaults answer as an API-key account does where the docs say so, with switches for the other readings.</summary>
[TestFixture]
[Category("Integration")]
public sealed class SandboxAccountTests
{
    private const string Avatar = "sandbox_avatar_anna";
    private const string Voice = "sandbox_voice_en_warm";
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Account_is_a_USD_wallet_charged_by_the_second()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RemainingCredits = 30 });
        using var client = SandboxCreateBodyTests.ClientFor(server);
        // 25 words at the sandbox's 2.5 words a second: 10 s at Avatar IV 1080p ($0.0667/s).
        var script = string.Join(' ', Enumerable.Repeat("word", 25));

        using var created = await PostAsync(client, Body(script));
        var me = await DataAsync(await client.GetAsync(new Uri("v3/users/me", UriKind.Relative)));

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)me["billing_type"], Is.EqualTo("wallet"));
        Assert.That((string?)me["wallet"]!["currency"], Is.EqualTo("usd"));
        Assert.That((double?)me["wallet"]!["remaining_balance"], Is.EqualTo(30 - 0.667).Within(0.0001));
    }

    [Test]
    public async Task Create_beyond_the_wallet_is_402_in_dollars()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RemainingCredits = 0.5 });
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var refused = await PostAsync(client, Body(string.Join(' ', Enumerable.Repeat("word", 25))));
        var error = (await BodyAsync(refused))["error"]!;

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));
        Assert.That((string?)error["code"], Is.EqualTo("insufficient_credit"));
        Assert.That((string?)error["message"], Does.Contain("$0.50").And.Contain("$0.67"));
    }

    [Test]
    public async Task Video_is_404_for_a_moment_after_its_create()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time, NotFoundAfterCreate = TimeSpan.FromSeconds(2) });
        using var client = SandboxCreateBodyTests.ClientFor(server);
        var id = (string)(await DataAsync(await PostAsync(client, Body("Hi"))))["video_id"]!;

        using var early = await client.GetAsync(new Uri($"v3/videos/{id}", UriKind.Relative));
        time.Advance(TimeSpan.FromSeconds(2));
        using var later = await client.GetAsync(new Uri($"v3/videos/{id}", UriKind.Relative));

        Assert.That(early.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((string?)(await BodyAsync(early))["error"]!["code"], Is.EqualTo("video_not_found"));
        Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(false, HttpStatusCode.OK)]
    [TestCase(true, HttpStatusCode.NotFound)]
    public async Task A_refused_key_is_free_again_unless_errors_are_replayed(bool replayErrors, HttpStatusCode second)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { IdempotencyReplaysErrors = replayErrors });
        using var client = SandboxCreateBodyTests.ClientFor(server);
        var bad = Body("Hi");
        bad["avatar_id"] = "ghost_avatar";

        using var refused = await PostAsync(client, bad, "row-1-a1");
        using var fixedConfiguration = await PostAsync(client, Body("Hi"), "row-1-a1");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(fixedConfiguration.StatusCode, Is.EqualTo(second));
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(replayErrors ? 0 : 1));
    }

    [Test]
    public async Task Processing_look_answers_200_with_its_status_and_refuses_creates()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            LookStatuses = new Dictionary<string, string> { [Avatar] = "processing" },
        });
        using var client = SandboxCreateBodyTests.ClientFor(server);

        var look = await DataAsync(await client.GetAsync(new Uri($"v3/avatars/looks/{Avatar}", UriKind.Relative)));
        using var create = await PostAsync(client, Body("Hi"));

        Assert.That((string?)look["status"], Is.EqualTo("processing"));
        Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    public async Task Every_API_answer_carries_an_X_Request_Id()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var ok = await client.GetAsync(new Uri("v3/users/me", UriKind.Relative));
        using var missing = await client.GetAsync(new Uri("v3/videos/nope", UriKind.Relative));

        Assert.That(ok.Headers.Contains("X-Request-Id"), Is.True);
        Assert.That(missing.Headers.GetValues("X-Request-Id").Single(), Is.Not.Empty);
    }

    private static JsonObject Body(string script) => new()
    {
        ["type"] = "avatar",
        ["avatar_id"] = Avatar,
        ["voice_id"] = Voice,
        ["script"] = script,
    };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v3/videos", UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<JsonObject> DataAsync(HttpResponseMessage response)
    {
        using (response)
            return (await BodyAsync(response))["data"]!.AsObject();
    }

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
