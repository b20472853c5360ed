using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;

namespace BatchVideo.Tests.Sandbox;

/// <summary>
/// The sandbox's <c>POST /v3/video-agents</c> and <c>cinematic_avatar</c> creates: the documented fields and
/// limits accepted, everything else refused before a video is made, and the videos followed like any other.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SandboxPromptVideoTests
{
    [Test]
    public async Task Agent_create_answers_a_session_with_a_video_that_completes()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero });
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var response = await client.PostAsync(new Uri("v3/video-agents", UriKind.Relative), JsonContent.Create(new JsonObject
        {
            ["prompt"] = "A 20-second welcome for Acme about invoices.",
            ["orientation"] = "portrait",
            ["callback_id"] = "bv-1",
        }));
        var data = (await BodyAsync(response))["data"]!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)data["session_id"], Does.StartWith("sess_"));
        Assert.That((string?)data["status"], Is.EqualTo("generating"));
        using var detail = await client.GetAsync(new Uri($"v3/videos/{(string)data["video_id"]!}", UriKind.Relative));
        Assert.That((string?)(await BodyAsync(detail))["data"]!["status"], Is.EqualTo("completed"));
        Assert.That(server.Videos.Single().CallbackId, Is.EqualTo("bv-1"));
    }

    [TestCase("title", "no title in CreateVideoAgentRequest", "title")]
    [TestCase("orientation", "square", "orientation")]
    [TestCase("prompt", "", "prompt")]
    [TestCase("avatar_id", "nobody", "avatar_id")]
    [TestCase("voice_id", "no_voice", "voice_id")]
    public async Task Agent_create_refuses_what_its_schema_or_catalogue_does_not_have(string field, string value, string param)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);
        var body = new JsonObject { ["prompt"] = "Hello", [field] = value };

        using var response = await client.PostAsync(new Uri("v3/video-agents", UriKind.Relative), JsonContent.Create(body));
        var error = (await BodyAsync(response))["error"]!;

        Assert.That((int)response.StatusCode, Is.EqualTo(400).Or.EqualTo(404), error.ToJsonString());
        Assert.That((string?)error["param"], Is.EqualTo(param));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    public async Task Agent_prompt_over_ten_thousand_characters_is_refused_in_the_documents_words()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var response = await client.PostAsync(new Uri("v3/video-agents", UriKind.Relative), JsonContent.Create(new JsonObject { ["prompt"] = new string('a', 10_001) }));

        Assert.That((string?)(await BodyAsync(response))["error"]!["message"], Is.EqualTo("'prompt' is required and must be 1-10000 characters."));
    }

    [Test]
    public async Task Cinematic_clip_lasts_its_duration_and_is_priced_by_it()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero });
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var response = await PostVideoAsync(client, Cinematic(duration: 6));
        var id = (string)(await BodyAsync(response))["data"]!["video_id"]!;
        using var detail = await client.GetAsync(new Uri($"v3/videos/{id}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((double?)(await BodyAsync(detail))["data"]!["duration"], Is.EqualTo(6.0));
        Assert.That(server.Videos.Single().Kind, Is.EqualTo("cinematic_avatar"));
    }

    [TestCase("duration", 16, "duration")]
    [TestCase("duration", 3, "duration")]
    [TestCase("resolution", "4k", "resolution")]
    [TestCase("aspect_ratio", "4:5", "aspect_ratio")]
    [TestCase("voice_id", "sandbox_voice_en_warm", "voice_id")]
    [TestCase("script", "Hello", "script")]
    public async Task Cinematic_create_refuses_what_the_type_cannot_take(string field, object value, string param)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);
        var body = Cinematic(duration: 8);
        body[field] = JsonValue.Create(value);

        using var response = await PostVideoAsync(client, body);
        var error = (await BodyAsync(response))["error"]!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), error.ToJsonString());
        Assert.That((string?)error["param"], Is.EqualTo(param));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    public async Task Cinematic_create_takes_one_to_three_known_looks()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);
        var four = Cinematic(8);
        four["avatar_id"] = new JsonArray("sandbox_avatar_anna", "sandbox_avatar_ben", "sandbox_avatar_anna", "sandbox_avatar_ben");
        var unknown = Cinematic(8);
        unknown["avatar_id"] = new JsonArray("sandbox_avatar_anna", "nobody");

        using var tooMany = await PostVideoAsync(client, four);
        using var notKnown = await PostVideoAsync(client, unknown);

        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(notKnown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    private static JsonObject Cinematic(int duration) => new()
    {
        ["type"] = "cinematic_avatar",
        ["prompt"] = "Slow push-in on the presenter at a sunny desk.",
        ["avatar_id"] = new JsonArray("sandbox_avatar_anna", "sandbox_avatar_ben"),
        ["duration"] = duration,
        ["aspect_ratio"] = "16:9",
        ["resolution"] = "720p",
    };

    private static Task<HttpResponseMessage> PostVideoAsync(HttpClient client, JsonObject body) =>
        client.PostAsync(new Uri("v3/videos", UriKind.Relative), JsonContent.Create(body));

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
