using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Sandbox;

/// <summary>How the sandbox tests talk to it: clients, request bodies and answers.</summary>
public sealed partial class SandboxServerTests
{
    private static HttpClient ClientFor(SandboxServer server, string apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        return client;
    }

    /// <summary>A valid CreateVideoFromAvatar body; tests change only what they are about.</summary>
    private static JsonObject AvatarVideo(string script, string? title = null, string avatarId = Avatar, string voiceId = Voice)
    {
        var body = new JsonObject
        {
            ["type"] = "avatar",
            ["avatar_id"] = avatarId,
            ["voice_id"] = voiceId,
            ["script"] = script,
        };
        if (title is not null)
            body["title"] = title;
        return body;
    }

    private static async Task<HttpResponseMessage> PostVideoAsync(HttpClient client, JsonObject body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v3/videos", UriKind.Relative))
        {
            Content = JsonContent.Create(body),
        };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    private static async Task<string> CreateVideoIdAsync(HttpClient client, JsonObject body, string? idempotencyKey = null)
    {
        using var response = await PostVideoAsync(client, body, idempotencyKey);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (string)(await DataAsync(response))["video_id"]!;
    }

    private static Task<JsonObject> GetVideoAsync(HttpClient client, string id) => GetDataAsync(client, $"v3/videos/{id}");

    private static async Task<JsonObject> GetDataAsync(HttpClient client, string relativeUrl)
    {
        using var response = await client.GetAsync(new Uri(relativeUrl, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await DataAsync(response);
    }

    private static async Task<JsonObject> ListAsync(HttpClient client, string relativeUrl)
    {
        using var response = await client.GetAsync(new Uri(relativeUrl, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (await BodyAsync(response)).AsObject();
    }

    private static string[] Ids(JsonObject page) =>
        [.. page["data"]!.AsArray().Select(video => (string)video!["id"]!)];

    private static async Task<JsonObject> DataAsync(HttpResponseMessage response) => (await BodyAsync(response))["data"]!.AsObject();

    private static async Task<JsonObject> ErrorAsync(HttpResponseMessage response) => (await BodyAsync(response))["error"]!.AsObject();

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<List<HttpStatusCode>> StatusesOfTwentyCreatesAsync(SandboxOptions options)
    {
        await using var server = await SandboxServer.StartAsync(options);
        using var client = ClientFor(server);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await PostVideoAsync(client, AvatarVideo("Dice"));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>Waits in real time: the server runs on real threads even when its clock is fake.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("Timed out waiting for the sandbox.");
            await Task.Delay(10);
        }
    }
}
