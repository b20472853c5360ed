using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;

namespace BatchVideo.Tests.Sandbox;

/// <summary>
/// <c>POST /v3/videos</c> bodies against the sandbox's JSON Schema: what a real account would accept, what it
/// would refuse, and the bodies other clients (HeyGen's own n8n node) actually send.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SandboxCreateBodyTests
{
    private const string Avatar = "sandbox_avatar_anna";
    private const string Voice = "sandbox_voice_en_warm";

    [Test]
    public async Task Field_in_no_schema_is_accepted_counted_and_the_video_made()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero });
        using var client = ClientFor(server);
        var body = AvatarVideo("Hi");
        body["titel"] = "typo";
        body["voice_settings"] = new JsonObject { ["speed"] = 1.0, ["warmth"] = 3 };

        using var response = await PostAsync(client, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(server.Stats.FieldsInNoSchema, Is.EquivalentTo(new Dictionary<string, long> { ["titel"] = 1, ["voice_settings.warmth"] = 1 }));
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(1));
    }

    [Test]
    public async Task Field_in_no_schema_is_refused_naming_it_when_the_switch_is_on()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RefuseFieldsInNoSchema = true });
        using var client = ClientFor(server);
        var body = AvatarVideo("Hi");
        body["titel"] = "typo";

        using var response = await PostAsync(client, body);
        var error = await ErrorAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error["code"], Is.EqualTo("invalid_parameter"));
        Assert.That((string?)error["param"], Is.EqualTo("titel"));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [TestCase("resolution", "8k", "resolution")]
    [TestCase("aspect_ratio", "3:2", "aspect_ratio")]
    [TestCase("title", 42, "title")]
    [TestCase("remove_background", "yes", "remove_background")]
    [TestCase("output_format", "mov", "output_format")]
    public async Task Value_outside_the_schema_is_400_naming_the_field(string field, object value, string param)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);
        var body = AvatarVideo("Hi");
        body[field] = JsonValue.Create(value);

        using var response = await PostAsync(client, body);
        var error = await ErrorAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error["code"], Is.EqualTo("invalid_parameter"));
        Assert.That((string?)error["param"], Is.EqualTo(param));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    public async Task Nested_limit_and_missing_required_field_are_400_with_their_path()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);
        var fast = AvatarVideo("Hi");
        fast["voice_settings"] = new JsonObject { ["speed"] = 3.0 };
        var noAvatar = AvatarVideo("Hi");
        noAvatar.Remove("avatar_id");

        using var tooFast = await PostAsync(client, fast);
        using var missing = await PostAsync(client, noAvatar);

        Assert.That((string?)(await ErrorAsync(tooFast))["param"], Is.EqualTo("voice_settings.speed"));
        Assert.That((string?)(await ErrorAsync(missing))["param"], Is.EqualTo("avatar_id"));
    }

    [TestCase("4:5")]
    [TestCase("5:4")]
    [TestCase("1:1")]
    [TestCase("auto")]
    public async Task Aspect_ratios_added_after_April_are_accepted(string ratio)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);
        var body = AvatarVideo("Hi");
        body["aspect_ratio"] = ratio;

        using var response = await PostAsync(client, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Without_voice_id_the_looks_default_voice_speaks()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);
        var body = AvatarVideo("Hi");
        body.Remove("voice_id");

        using var response = await PostAsync(client, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(server.Videos.Single().VoiceId, Is.EqualTo(Voice));
    }

    [Test]
    public async Task Repeated_field_or_second_value_is_400()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var repeated = await PostRawAsync(client, $$"""{"type":"avatar","avatar_id":"{{Avatar}}","script":"a","script":"b"}""");
        using var two = await PostRawAsync(client, $$"""{"type":"avatar","avatar_id":"{{Avatar}}","script":"a"} {}""");

        Assert.That(repeated.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(two.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    /// <summary>
    /// The bodies HeyGen's n8n node builds (heygen-com/n8n-integration-heygen-node,
    /// nodes/Heygen/shared/heygen_v3_video_body.ts and build_post_v3_video_body.ts): <c>test</c>,
    /// <c>folder_id</c> and its caption flag <c>enable_caption</c> are in no v3 schema and are ignored.
    /// </summary>
    [Test]
    public async Task Bodies_of_HeyGens_n8n_node_are_accepted_and_complete()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero, NotFoundAfterCreate = TimeSpan.Zero });
        using var client = ClientFor(server);
        var simple = new JsonObject
        {
            ["test"] = false,
            ["title"] = "n8n simple",
            ["callback_id"] = "row-1",
            ["folder_id"] = "folder_abc123",
            ["aspect_ratio"] = "16:9",
            ["resolution"] = "720p",
            ["type"] = "avatar",
            ["avatar_id"] = Avatar,
            ["script"] = "Hello from n8n.",
            ["voice_id"] = Voice,
            ["voice_settings"] = new JsonObject { ["speed"] = 1.0 },
            ["background"] = new JsonObject { ["type"] = "color", ["value"] = "#f6f6fc" },
            ["enable_caption"] = true,
        };
        var advanced = new JsonObject
        {
            ["test"] = true,
            ["folder_id"] = "folder_abc123",
            ["aspect_ratio"] = "9:16",
            ["resolution"] = "1080p",
            ["avatar_id"] = Avatar,
            ["type"] = "avatar",
            ["script"] = "Hello again from n8n.",
            ["voice_id"] = Voice,
            ["voice_settings"] = new JsonObject { ["speed"] = 1.2 },
            ["background"] = new JsonObject { ["type"] = "image", ["url"] = "https://example.com/bg.png" },
            ["enable_caption"] = true,
        };

        var ids = new List<string>();
        foreach (var body in new[] { simple, advanced })
        {
            using var response = await PostAsync(client, body);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            ids.Add((string)(await BodyAsync(response))["data"]!["video_id"]!);
        }

        foreach (var id in ids)
        {
            using var detail = await client.GetAsync(new Uri($"v3/videos/{id}", UriKind.Relative));
            Assert.That((string?)(await BodyAsync(detail))["data"]!["status"], Is.EqualTo("completed"));
        }

        Assert.That(server.Stats.FieldsInNoSchema.Keys, Is.EquivalentTo(new[] { "test", "folder_id", "enable_caption" }));
        Assert.That(server.Stats.FieldsInNoSchema.Values, Is.All.EqualTo(2));
    }

    internal static HttpClient ClientFor(SandboxServer server)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", "test-key");
        return client;
    }

    private static JsonObject AvatarVideo(string script) => new()
    {
        ["type"] = "avatar",
        ["avatar_id"] = Avatar,
        ["voice_id"] = Voice,
        ["script"] = script,
    };

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject body) =>
        client.PostAsync(new Uri("v3/videos", UriKind.Relative), JsonContent.Create(body));

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string body) =>
        client.PostAsync(new Uri("v3/videos", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> ErrorAsync(HttpResponseMessage response) => (await BodyAsync(response))["error"]!.AsObject();

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
