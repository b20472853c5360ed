using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Templates;
using BatchVideo.Sandbox;
using BatchVideo.Sandbox.State;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Sandbox;

/// <summary>
/// The sandbox's template endpoints: its catalogue listed and read in HeyGen's shapes (read here through BatchVideo's
/// own client), a generate checked, paid, capped and keyed like any create, a left-out text variable kept as its
/// literal placeholder, and the revision a save in the editor moves.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SandboxTemplateTests
{
    private const string Welcome = "tpl_sandbox_welcome";
    private const string Tour = "tpl_sandbox_tour";
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    private static HeyGenClient HeyGenClientFor(SandboxServer server) => new(SandboxCreateBodyTests.ClientFor(server));

    private static JsonObject Text(string name, string value) =>
        new() { ["name"] = name, ["type"] = "text", ["properties"] = new JsonObject { ["content"] = value } };

    private static async Task<HttpResponseMessage> GenerateAsync(HttpClient client, JsonObject body, string template = Welcome, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"v3/templates/{template}", UriKind.Relative))
        {
            Content = JsonContent.Create(body),
        };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static JsonObject Body(params JsonObject[] variables)
    {
        var map = new JsonObject();
        foreach (var variable in variables)
            map[(string)variable["name"]!] = variable;
        return new JsonObject { ["variables"] = map, ["title"] = "bv-test" };
    }

    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Test]
    public async Task The_catalogue_reads_through_the_client_in_HeyGens_shapes()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        var heygen = HeyGenClientFor(server);

        var listed = await heygen.ListTemplatesAsync(CancellationToken.None).ToListAsync();
        var welcome = await heygen.GetTemplateAsync(Welcome, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(t => t.Id), Is.EqualTo(new[] { Welcome, Tour }));
            Assert.That(welcome.Variables.Select(v => (v.Name, v.Type)), Is.EqualTo(new[]
            {
                ("first_name", (string?)"text"), ("company", "text"), ("offer", "text"), ("logo", "image"), ("narrator", "voice"),
            }));
            Assert.That(welcome.Variable("narrator")!.CurrentValue, Is.EqualTo("sandbox_voice_en_warm"));
            Assert.That(welcome.Scenes!.Select(s => s.Script), Has.All.Contains("{{first_name}}"), "one text variable used in both scenes");
            Assert.That(welcome.Scenes!.SelectMany(s => s.Variables!).Where(v => v.VariableType == "text").Select(v => v.Name).Distinct(),
                Is.EquivalentTo(new[] { "first_name", "company", "offer" }));
            Assert.That(welcome.SceneIds, Is.EqualTo(welcome.Scenes!.Select(s => s.SceneId)));
            Assert.That(welcome.Revision, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_list_pages_with_limit_and_token()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);

        var first = await JsonOf(await client.GetAsync(new Uri("v3/templates?limit=1", UriKind.Relative)));
        var token = Uri.EscapeDataString((string)first["next_token"]!);
        var second = await JsonOf(await client.GetAsync(new Uri($"v3/templates?limit=1&token={token}", UriKind.Relative)));
        using var tooMany = await client.GetAsync(new Uri("v3/templates?limit=101", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(((string?)first["data"]![0]!["id"], (bool?)first["has_more"]), Is.EqualTo((Welcome, (bool?)true)));
            Assert.That(((string?)second["data"]![0]!["id"], (bool?)second["has_more"]), Is.EqualTo((Tour, (bool?)false)));
            Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task A_text_variable_left_out_stays_a_literal_placeholder_in_the_video()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        var heygen = HeyGenClientFor(server);
        var template = await heygen.GetTemplateAsync(Welcome, CancellationToken.None);
        // Built the client's way: GET's variable objects with only their value replaced; "offer" is left out.
        var request = new TemplateGenerateRequest
        {
            Variables = new JsonObject
            {
                ["first_name"] = template.Variable("first_name")!.WithValue("Ada"),
                ["company"] = template.Variable("company")!.WithValue("Acme"),
                ["narrator"] = template.Variable("narrator")!.WithValue("sandbox_voice_en_bright"),
            },
            Title = "bv-ada",
        };

        var created = await heygen.CreateAsync(VideoCreate.Of(request, Welcome), "bv-ada-a1", CancellationToken.None);
        var video = server.Videos.Single();

        Assert.Multiple(() =>
        {
            Assert.That(created.VideoId, Is.EqualTo(video.Id));
            Assert.That(created.Status, Is.EqualTo("pending"));
            Assert.That(video.Script, Is.EqualTo("Hi Ada, this is a quick hello for everyone at Acme. Ada, we saved {{offer}} for you. See you soon!"));
            Assert.That((video.Kind, video.TemplateId, video.VoiceId, video.Title), Is.EqualTo(("template", (string?)Welcome, "sandbox_voice_en_bright", (string?)"bv-ada")));
        });
    }

    [Test]
    public async Task Scene_ids_pick_reorder_and_repeat_scenes()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);
        var body = Body(Text("first_name", "Bo"), Text("company", "Initech"), Text("offer", "a mug"));
        body["scene_ids"] = new JsonArray("scene_welcome_offer", "scene_welcome_offer");

        using var response = await GenerateAsync(client, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(server.Videos.Single().Script, Is.EqualTo("Bo, we saved a mug for you. See you soon! Bo, we saved a mug for you. See you soon!"));
    }

    [TestCase("""{"title":"no variables"}""", "variables")]
    [TestCase("""{"variables":{},"fps":24}""", "fps")]
    [TestCase("""{"variables":{},"dimension":{"width":1920}}""", "dimension")]
    [TestCase("""{"variables":{},"caption":"yes"}""", "caption")]
    [TestCase("""{"variables":{},"scene_ids":["scene_nowhere"]}""", "scene_ids")]
    [TestCase("""{"variables":{"first_name":{"name":"first_name","type":"image","properties":{"url":"https://x/y.png"}}}}""", "variables.first_name.type")]
    [TestCase("""{"variables":{"first_name":{"name":"first_name","type":"text","properties":{}}}}""", "variables.first_name.properties.content")]
    [TestCase("""{"variables":{"logo":{"name":"logo","type":"image","properties":{"url":"http://cdn.example/logo.png"}}}}""", "variables.logo.properties.url")]
    public async Task A_generate_body_is_checked_before_anything_is_made(string body, string param)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var response = await GenerateAsync(client, JsonNode.Parse(body)!.AsObject());
        var error = (await JsonOf(response))["error"]!;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(((string?)error["code"], (string?)error["param"]), Is.EqualTo(("invalid_parameter", (string?)param)), (string?)error["message"]);
            Assert.That(server.Videos, Is.Empty);
        });
    }

    [Test]
    public async Task An_unknown_voice_or_template_is_404()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);
        var voice = new JsonObject { ["name"] = "narrator", ["type"] = "voice", ["properties"] = new JsonObject { ["voice_id"] = "ghost" } };

        using var badVoice = await GenerateAsync(client, Body(voice));
        using var noTemplate = await GenerateAsync(client, Body(), template: "tpl_nope");
        using var noDetail = await client.GetAsync(new Uri("v3/templates/tpl_nope", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That((string?)(await JsonOf(badVoice))["error"]!["code"], Is.EqualTo("voice_not_found"));
            Assert.That((noTemplate.StatusCode, noDetail.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
            Assert.That(server.Videos, Is.Empty);
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_variable_the_template_lacks_is_counted_or_refused_by_switch(bool refuse)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RefuseFieldsInNoSchema = refuse });
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var response = await GenerateAsync(client, Body(Text("first_name", "Cy"), Text("frist_name", "typo")));

        Assert.That(response.StatusCode, Is.EqualTo(refuse ? HttpStatusCode.BadRequest : HttpStatusCode.OK));
        Assert.That(server.Stats.FieldsInNoSchema.Keys, refuse ? Is.Empty : Is.EquivalentTo(new[] { "variables.frist_name" }));
    }

    [Test]
    public async Task The_same_key_replays_the_first_answer_and_its_scope_is_the_template()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var first = await GenerateAsync(client, Body(Text("first_name", "Di")), key: "bv-di-a1");
        using var again = await GenerateAsync(client, Body(Text("first_name", "Someone else")), key: "bv-di-a1");
        using var otherTemplate = await GenerateAsync(client, Body(Text("product", "Widget")), template: Tour, key: "bv-di-a1");

        Assert.Multiple(async () =>
        {
            Assert.That(await again.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
            Assert.That(server.Videos.Select(v => v.TemplateId), Is.EqualTo(new[] { Welcome, Tour }));
            Assert.That(server.Stats.IdempotentReplays, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_generate_whose_answer_is_lost_is_sent_again_with_its_key_and_makes_one_video()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { DropAnswerToCreates = [1] });
        var services = new ServiceCollection();
        services.AddOptions<HeyGenOptions>().Configure(o =>
        {
            o.BaseUrl = server.BaseAddress;
            o.ApiKey = "test-key";
            o.MaxRetries = 3;
            o.RequestsPerSecond = 1000;
        });
        services.AddHeyGenClient();
        await using var provider = services.BuildServiceProvider();
        var heygen = provider.GetRequiredService<HeyGenClient>();
        var template = await heygen.GetTemplateAsync(Welcome, CancellationToken.None);
        var request = new TemplateGenerateRequest { Variables = new JsonObject { ["first_name"] = template.Variable("first_name")!.WithValue("Hal") } };

        // The resilience pipeline repeats it: /v3/templates/{template_id} is trusted with the key by default.
        var created = await heygen.CreateAsync(VideoCreate.Of(request, Welcome), "bv-hal-a1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(server.Videos.Select(v => v.Id), Is.EqualTo(new[] { created.VideoId }));
            Assert.That((server.Stats.InjectedFaults, server.Stats.IdempotentReplays), Is.EqualTo((1L, 1L)));
        });
    }

    [Test]
    public async Task A_generate_counts_against_the_job_cap_with_the_other_creates()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time, MaxConcurrentJobs = 2, RenderTime = TimeSpan.FromMinutes(5) });
        using var client = SandboxCreateBodyTests.ClientFor(server);
        var avatar = new JsonObject { ["type"] = "avatar", ["avatar_id"] = "sandbox_avatar_anna", ["script"] = "Hi" };

        using var video = await client.PostAsJsonAsync(new Uri("v3/videos", UriKind.Relative), avatar);
        using var generated = await GenerateAsync(client, Body(Text("first_name", "Ed")));
        using var capped = await GenerateAsync(client, Body(Text("first_name", "Flo")), key: "bv-flo-a1");
        time.Advance(TimeSpan.FromMinutes(6));
        using var later = await GenerateAsync(client, Body(Text("first_name", "Flo")), key: "bv-flo-a1");

        Assert.Multiple(async () =>
        {
            Assert.That((video.StatusCode, generated.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
            Assert.That(capped.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That((string?)(await JsonOf(capped))["error"]!["code"], Is.EqualTo("rate_limit_exceeded"));
            Assert.That(capped.Headers.RetryAfter?.Delta, Is.Not.Null);
            Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the 429 did not use up the key");
            Assert.That(server.Videos, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task A_save_moves_the_revision_and_the_account_remembers_saves_and_keys()
    {
        using var folder = new TempFolder();
        var path = folder.File("account.jsonl");
        var time = new FakeTimeProvider(Start);
        var options = new SandboxOptions { TimeProvider = time };
        string firstAnswer;
        using (var journal = SandboxJournal.Open(path))
        await using (var server = await SandboxServer.StartAsync(options, 0, journal))
        {
            using var client = SandboxCreateBodyTests.ClientFor(server);
            using var generated = await GenerateAsync(client, Body(Text("first_name", "Gus")), key: "bv-gus-a1");
            firstAnswer = await generated.Content.ReadAsStringAsync();
            Assert.That(server.SaveTemplate(Welcome), Is.EqualTo(2));
            time.Advance(TimeSpan.FromMinutes(1));
            using var saved = await client.PostAsync(new Uri($"sandbox/templates/{Welcome}/save", UriKind.Relative), null);
            Assert.That((long?)(await JsonOf(saved))["data"]!["revision"], Is.EqualTo(3));
        }

        using var reopened = SandboxJournal.Open(path);
        await using var second = await SandboxServer.StartAsync(options, 0, reopened);
        using var again = SandboxCreateBodyTests.ClientFor(second);
        var detail = await HeyGenClientFor(second).GetTemplateAsync(Welcome, CancellationToken.None);
        var tour = await HeyGenClientFor(second).GetTemplateAsync(Tour, CancellationToken.None);
        using var replay = await GenerateAsync(again, Body(Text("first_name", "Gus")), key: "bv-gus-a1");

        Assert.Multiple(async () =>
        {
            Assert.That((detail.Revision, detail.UpdatedAt), Is.EqualTo(((long?)3, (long?)Start.AddMinutes(1).ToUnixTimeSeconds())));
            Assert.That(detail.RevisionMarker, Is.Not.EqualTo(tour.RevisionMarker));
            Assert.That(tour.Revision, Is.EqualTo(1), "a save touches one template");
            Assert.That(await replay.Content.ReadAsStringAsync(), Is.EqualTo(firstAnswer));
            Assert.That(second.Videos, Has.Count.EqualTo(1));
        });
    }
}
