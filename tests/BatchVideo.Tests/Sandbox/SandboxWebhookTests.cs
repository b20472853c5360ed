using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sandbox;

/// <summary>The sandbox's webhook endpoints and deliveries, over real HTTP to a real receiver.</summary>
[TestFixture]
[Category("Integration")]
public sealed class SandboxWebhookTests
{
    private static readonly SandboxOptions Fast = new()
    {
        RenderTime = TimeSpan.FromMilliseconds(50),
        NotFoundAfterCreate = TimeSpan.Zero,
        WebhookRetryDelay = TimeSpan.FromMilliseconds(20),
        WebhookTimeout = TimeSpan.FromSeconds(2),
    };

    [Test]
    public async Task Endpoint_secret_is_shown_on_create_and_rotate_only()
    {
        await using var server = await SandboxServer.StartAsync(Fast);
        using var client = ClientFor(server);

        var created = await SendAsync(client, HttpMethod.Post, "v3/webhooks/endpoints", new JsonObject { ["url"] = "https://example.com/hook", ["events"] = new JsonArray("avatar_video.success") });
        var id = (string)created["endpoint_id"]!;
        var listed = await ListAsync(client, "v3/webhooks/endpoints");
        var patched = await SendAsync(client, HttpMethod.Patch, $"v3/webhooks/endpoints/{id}", new JsonObject { ["events"] = new JsonArray("avatar_video.success", "avatar_video.fail") });
        var rotated = await SendAsync(client, HttpMethod.Post, $"v3/webhooks/endpoints/{id}/rotate-secret", null);
        using var deleted = await client.DeleteAsync(new Uri($"v3/webhooks/endpoints/{id}", UriKind.Relative));
        var afterDelete = await ListAsync(client, "v3/webhooks/endpoints");

        Assert.That((string?)created["secret"], Does.StartWith("whsec_"));
        Assert.That((string?)created["status"], Is.EqualTo("enabled"));
        Assert.That((string?)created["created_at"], Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        Assert.That(listed["data"]![0]!["secret"], Is.Null);
        Assert.That(listed["data"]![0]!.AsObject().ContainsKey("secret"), Is.True, "listed with secret: null");
        Assert.That(patched["events"]!.AsArray().Select(e => (string?)e), Is.EqualTo(new[] { "avatar_video.success", "avatar_video.fail" }));
        Assert.That(patched["secret"], Is.Null);
        Assert.That((string?)rotated["secret"], Does.StartWith("whsec_").And.Not.EqualTo((string?)created["secret"]));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(afterDelete["data"]!.AsArray(), Is.Empty);
    }

    [TestCase("""{"url":"not a url"}""", "url")]
    [TestCase("""{"url":"https://example.com/h","events":["avatar_video.done"]}""", "events")]
    [TestCase("""{"url":"https://example.com/h","secret":"mine"}""", "secret")]
    [TestCase("""{"events":null}""", "url")]
    public async Task Bad_endpoint_bodies_are_400_naming_the_field(string body, string param)
    {
        await using var server = await SandboxServer.StartAsync(Fast);
        using var client = ClientFor(server);

        using var response = await client.PostAsync(new Uri("v3/webhooks/endpoints", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(((string?)error["code"], (string?)error["param"]), Is.EqualTo(("invalid_parameter", param)));
    }

    [Test]
    public async Task Unknown_endpoint_is_404_and_an_empty_patch_is_400()
    {
        await using var server = await SandboxServer.StartAsync(Fast);
        using var client = ClientFor(server);
        var id = (string)(await SendAsync(client, HttpMethod.Post, "v3/webhooks/endpoints", new JsonObject { ["url"] = "https://example.com/h" }))["endpoint_id"]!;

        using var rotate = await client.PostAsync(new Uri("v3/webhooks/endpoints/nope/rotate-secret", UriKind.Relative), null);
        using var empty = await client.PatchAsync(new Uri($"v3/webhooks/endpoints/{id}", UriKind.Relative), JsonContent.Create(new JsonObject()));

        Assert.That(rotate.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Completed_video_is_delivered_signed_with_the_endpoint_secret()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var server = await SandboxServer.StartAsync(Fast);
        using var client = ClientFor(server);
        var secret = await RegisterAsync(client, sink.Url);

        var videoId = await CreateAsync(client, "Hello there", callbackId: "bv-123");
        var delivery = (await sink.WaitForAsync(1)).Single();
        var body = JsonNode.Parse(delivery.Body)!;
        await WaitUntilAsync(() => server.Stats.WebhooksDelivered == 1);

        Assert.That(delivery.Header("Heygen-Signature"), Is.EqualTo(Sign(secret, delivery.Body)));
        Assert.That(long.Parse(delivery.Header("Heygen-Timestamp")!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(5));
        Assert.That(delivery.Header("Heygen-Event-Id"), Does.StartWith("evt_"));
        Assert.That((string?)body["event_type"], Is.EqualTo("avatar_video.success"));
        Assert.That((string?)body["event_data"]!["video_id"], Is.EqualTo(videoId));
        Assert.That((string?)body["event_data"]!["url"], Does.StartWith(server.BaseAddress.AbsoluteUri + "files/"));
        Assert.That(body["event_data"]!.AsObject().ContainsKey("video_page_url"), Is.False, "the documented payload has no page link");
        Assert.That((string?)body["event_data"]!["callback_id"], Is.EqualTo("bv-123"));
        Assert.That(server.Stats.WebhooksDelivered, Is.EqualTo(1));
    }

    [Test]
    public async Task Failed_video_is_delivered_as_fail_only_to_endpoints_that_want_it()
    {
        await using var wantsAll = await WebhookSink.StartAsync();
        await using var wantsSuccess = await WebhookSink.StartAsync();
        await using var server = await SandboxServer.StartAsync(Fast);
        using var client = ClientFor(server);
        await RegisterAsync(client, wantsAll.Url);
        await RegisterAsync(client, wantsSuccess.Url, "avatar_video.success");

        await CreateAsync(client, "Hello SANDBOX_FAIL_RENDER");
        var delivery = (await wantsAll.WaitForAsync(1)).Single();
        await Task.Delay(200);
        var data = JsonNode.Parse(delivery.Body)!["event_data"]!;

        Assert.That((string?)JsonNode.Parse(delivery.Body)!["event_type"], Is.EqualTo("avatar_video.fail"));
        Assert.That((string?)data["msg"], Is.Not.Empty);
        Assert.That(data.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "video_id", "msg", "callback_id" }), "the documented fail body only");
        Assert.That(wantsSuccess.Received, Is.Empty);
    }

    [Test]
    public async Task The_observed_reading_adds_a_failure_code_to_the_fail_body()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var server = await SandboxServer.StartAsync(Fast with { SuccessWebhookFields = SuccessWebhookFields.Observed });
        using var client = ClientFor(server);
        await RegisterAsync(client, sink.Url);

        await CreateAsync(client, "Hello SANDBOX_FAIL_RENDER");
        var data = JsonNode.Parse((await sink.WaitForAsync(1)).Single().Body)!["event_data"]!;

        Assert.That((string?)data["failure_code"], Is.EqualTo("rendering_failed"));
    }

    [Test]
    public async Task Failed_deliveries_are_retried_with_the_same_event_id_and_the_rotated_secret()
    {
        await using var sink = await WebhookSink.StartAsync(answer: i => i < 2 ? 500 : 200);
        await using var server = await SandboxServer.StartAsync(Fast with { WebhookRetryDelay = TimeSpan.FromMilliseconds(300) });
        using var client = ClientFor(server);
        var endpoints = await ListAsync(client, "v3/webhooks/endpoints");
        Assert.That(endpoints["data"]!.AsArray(), Is.Empty);
        await RegisterAsync(client, sink.Url);
        var id = (string)(await ListAsync(client, "v3/webhooks/endpoints"))["data"]![0]!["endpoint_id"]!;

        await CreateAsync(client, "Hello");
        await sink.WaitForAsync(1);
        var rotated = (string)(await SendAsync(client, HttpMethod.Post, $"v3/webhooks/endpoints/{id}/rotate-secret", null))["secret"]!;
        var deliveries = await sink.WaitForAsync(3);
        await WaitUntilAsync(() => server.Stats.WebhooksDelivered == 1);

        Assert.That(deliveries, Has.Count.EqualTo(3));
        Assert.That(deliveries.Select(d => d.Header("Heygen-Event-Id")).Distinct().Count(), Is.EqualTo(1));
        Assert.That(deliveries[2].Header("Heygen-Signature"), Is.EqualTo(Sign(rotated, deliveries[2].Body)), "the old secret is invalid at once");
        Assert.That((server.Stats.WebhooksDelivered, server.Stats.WebhookAttempts), Is.EqualTo((1L, 3L)));
    }

    [Test]
    public async Task Retries_stop_at_the_horizon()
    {
        await using var sink = await WebhookSink.StartAsync(answer: _ => 503);
        await using var server = await SandboxServer.StartAsync(Fast with { WebhookRetryHorizon = TimeSpan.FromMilliseconds(500) });
        using var client = ClientFor(server);
        await RegisterAsync(client, sink.Url);

        await CreateAsync(client, "Hello");
        await WaitUntilAsync(() => server.Stats.WebhooksAbandoned == 1);

        Assert.That(sink.Received.Count, Is.GreaterThan(2).And.LessThan(10), "20, 40, 80, 160 ms... until 500 ms");
        Assert.That(server.Stats.WebhooksDelivered, Is.Zero);
    }

    [Test]
    public async Task Callback_url_gets_the_same_body_unsigned()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var server = await SandboxServer.StartAsync(Fast);
        using var client = ClientFor(server);

        await CreateAsync(client, "Hello", callbackId: "bv-9", callbackUrl: sink.Url);
        var delivery = (await sink.WaitForAsync(1)).Single();
        await WaitUntilAsync(() => server.Stats.CallbacksDelivered == 1);

        Assert.That(delivery.Header("Heygen-Signature"), Is.Null);
        Assert.That((string?)JsonNode.Parse(delivery.Body)!["event_data"]!["callback_id"], Is.EqualTo("bv-9"));
        Assert.That(server.Stats.CallbacksDelivered, Is.EqualTo(1));
    }

    [Test]
    public async Task Drop_fault_loses_deliveries_and_duplicate_fault_repeats_them()
    {
        await using var dropped = await WebhookSink.StartAsync();
        await using var duplicated = await WebhookSink.StartAsync();
        await using var lossy = await SandboxServer.StartAsync(Fast with { WebhookDropRate = 1 });
        await using var repeating = await SandboxServer.StartAsync(Fast with { WebhookDuplicateRate = 1 });
        using var lossyClient = ClientFor(lossy);
        using var repeatingClient = ClientFor(repeating);
        await RegisterAsync(lossyClient, dropped.Url);
        await RegisterAsync(repeatingClient, duplicated.Url);

        await CreateAsync(lossyClient, "Hello");
        await CreateAsync(repeatingClient, "Hello");
        var twice = await duplicated.WaitForAsync(2);
        await WaitUntilAsync(() => lossy.Stats.WebhooksDropped == 1);

        Assert.That(dropped.Received, Is.Empty);
        Assert.That(twice.Select(d => d.Header("Heygen-Event-Id")).Distinct().Count(), Is.EqualTo(1));
        Assert.That(twice.Select(d => d.Text).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Events_and_event_types_are_listed()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var server = await SandboxServer.StartAsync(Fast);
        using var client = ClientFor(server);
        await RegisterAsync(client, sink.Url);
        var videoId = await CreateAsync(client, "Hello");
        await sink.WaitForAsync(1);

        var events = await ListAsync(client, "v3/webhooks/events?event_type=avatar_video.success");
        var types = await ListAsync(client, "v3/webhooks/event-types");
        using var badType = await client.GetAsync(new Uri("v3/webhooks/events?event_type=nope", UriKind.Relative));

        Assert.That((string?)events["data"]![0]!["event_data"]!["video_id"], Is.EqualTo(videoId));
        Assert.That((string?)events["data"]![0]!["event_id"], Is.EqualTo(sink.Received.Single().Header("Heygen-Event-Id")));
        Assert.That(types["data"]!.AsArray().Select(t => (string?)t!["event_type"]), Does.Contain("avatar_video.fail"));
        Assert.That((bool?)types["has_more"], Is.False);
        Assert.That(badType.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Remaining_credit_falls_by_the_estimated_duration_of_each_video()
    {
        await using var server = await SandboxServer.StartAsync(Fast with { WalletCurrency = "credits", RemainingCredits = 100, CreditsPerMinute = 2 });
        using var client = ClientFor(server);

        // 300 words at 150 words a minute: 2 minutes, 4 credits.
        await CreateAsync(client, string.Join(' ', Enumerable.Repeat("word", 300)));
        var me = await GetAsync(client, "v3/users/me");

        Assert.That((double?)me["wallet"]!["remaining_balance"], Is.EqualTo(96).Within(0.001));
        Assert.That((string?)me["wallet"]!["currency"], Is.EqualTo("credits"));
    }

    [Test]
    public async Task Interrupted_download_sends_half_then_drops_once()
    {
        await using var server = await SandboxServer.StartAsync(Fast with { DownloadInterruptions = 1, VideoFileBytes = 256 * 1024 });
        using var client = ClientFor(server);
        var videoId = await CreateAsync(client, "Hello");
        await Task.Delay(100);
        var url = (string)(await GetAsync(client, $"v3/videos/{videoId}"))["video_url"]!;
        using var files = new HttpClient();

        Assert.That(async () => await files.GetByteArrayAsync(new Uri(url)), Throws.InstanceOf<HttpRequestException>());
        var whole = await files.GetByteArrayAsync(new Uri(url));

        Assert.That(whole, Has.Length.EqualTo(256 * 1024));
    }

    private static HttpClient ClientFor(SandboxServer server)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", "test-key");
        return client;
    }

    internal static string Sign(string secret, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static async Task<string> RegisterAsync(HttpClient client, Uri url, params string[] events)
    {
        var body = new JsonObject { ["url"] = url.AbsoluteUri };
        if (events.Length > 0)
        {
            body["events"] = new JsonArray([.. events.Select(e => (JsonNode)e)]);
        }

        return (string)(await SendAsync(client, HttpMethod.Post, "v3/webhooks/endpoints", body))["secret"]!;
    }

    private static async Task<string> CreateAsync(HttpClient client, string script, string? callbackId = null, Uri? callbackUrl = null)
    {
        var body = new JsonObject { ["type"] = "avatar", ["avatar_id"] = "sandbox_avatar_anna", ["voice_id"] = "sandbox_voice_en_warm", ["script"] = script };
        if (callbackId is not null)
        {
            body["callback_id"] = callbackId;
        }

        if (callbackUrl is not null)
        {
            body["callback_url"] = callbackUrl.AbsoluteUri;
        }

        return (string)(await SendAsync(client, HttpMethod.Post, "v3/videos", body))["video_id"]!;
    }

    private static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!["data"]!.AsObject();
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsObject();
    }

    private static async Task<JsonObject> ListAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }
}
