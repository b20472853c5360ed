using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Templates;

namespace BatchVideo.Tests.HeyGen;

/// <summary>
/// The client's side of HeyGen's template endpoints (heygen-cli gen/template.go): list pages, a template's variables
/// kept as HeyGen sent them, and a generate sent through the one create path and read as a video to follow.
/// </summary>
[TestFixture]
public sealed class TemplateClientTests
{
    private const string Detail = """
        {"data":{"id":"tpl_1","name":"Welcome","aspect_ratio":"16:9","updated_at":1764979200,"revision":3,
          "scene_ids":["s1","s2"],
          "scenes":[
            {"scene_id":"s1","script":"Hi {{first_name}} from {{company}}!","variables":[{"name":"first_name","variable_type":"text"},{"name":"company","variable_type":"text"}]},
            {"scene_id":"s2","script":null,"variables":[{"name":"logo","variable_type":"image"}]}],
          "variables":{
            "first_name":{"name":"first_name","type":"text","properties":{"content":"there"}},
            "logo":{"name":"logo","type":"image","properties":{"url":"https://cdn.example/old.png","asset_id":"as_1","fit":"contain"}},
            "narrator":{"name":"narrator","type":"voice","properties":{"voice_id":"v_1"}}}}}
        """;

    /// <summary>Answers each request with the next canned body (status 200 unless given); records what was sent.</summary>
    private sealed class Stub(params (HttpStatusCode Status, string Body)[] answers) : HttpMessageHandler
    {
        private int next;

        public List<(HttpMethod Method, string Uri, string? Body, string? Key)> Sent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var key = request.Headers.TryGetValues(HeyGenClient.IdempotencyHeader, out var keys) ? keys.Single() : null;
            Sent.Add((request.Method, request.RequestUri!.PathAndQuery, body, key));
            var (status, text) = answers[Math.Min(next++, answers.Length - 1)];
            return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
        }
    }

    private static HeyGenClient ClientOf(Stub stub) =>
        new(new HttpClient(stub) { BaseAddress = new Uri("http://heygen.invalid/") });

    [Test]
    public async Task A_template_reads_its_variables_scenes_and_revision()
    {
        var template = await ClientOf(new Stub((HttpStatusCode.OK, Detail))).GetTemplateAsync("tpl_1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(template.Variables.Select(v => (v.Name, v.Type, v.CurrentValue)), Is.EqualTo(new[]
            {
                ("first_name", (string?)"text", (string?)"there"),
                ("logo", "image", "https://cdn.example/old.png"),
                ("narrator", "voice", "v_1"),
            }));
            Assert.That(template.Scenes!.Select(s => s.SceneId), Is.EqualTo(new[] { "s1", "s2" }));
            Assert.That(template.Scenes![0].Variables!.Select(v => v.Name), Is.EqualTo(new[] { "first_name", "company" }));
            Assert.That(template.Scenes![1].Script, Is.Null);
            Assert.That(template.RevisionMarker, Is.EqualTo("r3"));
            Assert.That(template.Variable("company"), Is.Null, "used in a script but not defined: the pre-flight's case");
        });
    }

    [Test]
    public async Task A_template_without_revision_is_marked_by_its_last_save()
    {
        var json = Detail.Replace("\"revision\":3,", "", StringComparison.Ordinal);
        var template = await ClientOf(new Stub((HttpStatusCode.OK, json))).GetTemplateAsync("tpl_1", CancellationToken.None);
        Assert.That(template.RevisionMarker, Is.EqualTo("u1764979200"));
    }

    [TestCase("\"revision\":\"7\",", "r7")]
    [TestCase("\"revision\":\"a1b2\",", "u1764979200")]
    [TestCase("\"revision\":{\"n\":1},", "u1764979200")]
    public async Task A_revision_in_another_form_is_read_or_ignored_never_fatal(string revision, string marker)
    {
        var json = Detail.Replace("\"revision\":3,", revision, StringComparison.Ordinal);
        var template = await ClientOf(new Stub((HttpStatusCode.OK, json))).GetTemplateAsync("tpl_1", CancellationToken.None);
        Assert.That(template.RevisionMarker, Is.EqualTo(marker));
    }

    [Test]
    public async Task Replacing_a_value_keeps_every_other_field_as_HeyGen_sent_it()
    {
        var template = await ClientOf(new Stub((HttpStatusCode.OK, Detail))).GetTemplateAsync("tpl_1", CancellationToken.None);

        var text = template.Variable("first_name")!.WithValue("Ada");
        var logo = template.Variable("logo")!.WithValue("https://cdn.example/acme.png");

        Assert.Multiple(() =>
        {
            Assert.That(text.ToJsonString(), Is.EqualTo("""{"name":"first_name","type":"text","properties":{"content":"Ada"}}"""));
            Assert.That(logo.ToJsonString(), Is.EqualTo("""{"name":"logo","type":"image","properties":{"url":"https://cdn.example/acme.png","fit":"contain"}}"""),
                "the old asset_id would compete with the new URL");
            Assert.That(template.Variable("first_name")!.CurrentValue, Is.EqualTo("there"), "the template read stays untouched");
        });
    }

    [Test]
    public void A_variable_of_an_unknown_type_cannot_be_set()
    {
        using var json = JsonDocument.Parse("""{"name":"x","type":"sticker","properties":{"id":"1"}}""");
        var variable = TemplateVariable.From("x", json.RootElement);
        Assert.That(() => variable.WithValue("2"), Throws.InvalidOperationException.With.Message.Contains("'x'").And.Message.Contains("sticker"));
    }

    [Test]
    public async Task The_list_follows_next_token_through_every_page()
    {
        var stub = new Stub(
            (HttpStatusCode.OK, """{"data":[{"id":"tpl_1","name":"One"},{"id":"tpl_2","name":"Two","updated_at":5}],"has_more":true,"next_token":"p 2"}"""),
            (HttpStatusCode.OK, """{"data":[{"id":"tpl_3","name":"Three"}],"has_more":false,"next_token":null}"""));

        var templates = await ClientOf(stub).ListTemplatesAsync(CancellationToken.None).ToListAsync();

        Assert.Multiple(() =>
        {
            Assert.That(templates.Select(t => t.Id), Is.EqualTo(new[] { "tpl_1", "tpl_2", "tpl_3" }));
            Assert.That(stub.Sent.Select(s => s.Uri), Is.EqualTo(new[] { "/v3/templates?limit=100", "/v3/templates?limit=100&token=p%202" }));
        });
    }

    [Test]
    public async Task A_generate_goes_to_the_template_with_its_key_and_answers_the_video_to_follow()
    {
        var stub = new Stub((HttpStatusCode.OK, """{"data":{"id":"vid_9","status":"pending","title":"bv-1"}}"""));
        var request = new TemplateGenerateRequest
        {
            Variables = new JsonObject { ["first_name"] = JsonNode.Parse("""{"name":"first_name","type":"text","properties":{"content":"Ada"}}""") },
            Title = "bv-1",
            SceneIds = ["s2", "s1", "s1"],
            EnableSharing = true,
            Fps = 30,
            CallbackId = "bv-1",
        };

        var created = await ClientOf(stub).CreateAsync(VideoCreate.Of(request, "tpl 1"), "bv-1-template-a1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(created.VideoId, Is.EqualTo("vid_9"));
            Assert.That(created.Status, Is.EqualTo("pending"));
            Assert.That(stub.Sent.Single().Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(stub.Sent.Single().Uri, Is.EqualTo("/v3/templates/tpl%201"));
            Assert.That(stub.Sent.Single().Key, Is.EqualTo("bv-1-template-a1"));
            Assert.That(stub.Sent.Single().Body, Is.EqualTo(
                """{"variables":{"first_name":{"name":"first_name","type":"text","properties":{"content":"Ada"}}},"scene_ids":["s2","s1","s1"],"title":"bv-1","enable_sharing":true,"fps":30,"callback_id":"bv-1"}"""));
        });
    }

    [Test]
    public void A_template_create_carries_its_type_title_and_spoken_text()
    {
        var request = new TemplateGenerateRequest
        {
            Variables = new JsonObject
            {
                ["first_name"] = JsonNode.Parse("""{"name":"first_name","type":"text","properties":{"content":"Ada"}}"""),
                ["logo"] = JsonNode.Parse("""{"name":"logo","type":"image","properties":{"url":"https://x/y.png"}}"""),
                ["company"] = JsonNode.Parse("""{"name":"company","type":"text","properties":{"content":"Acme"}}"""),
            },
            Title = "bv-2",
        };

        var create = VideoCreate.Of(request, "tpl_1");
        var spoken = VideoCreate.Of(request, "tpl_1", "Hi Ada from Acme!");

        Assert.Multiple(() =>
        {
            Assert.That((create.Type, create.Route, create.Title, create.IsTemplateGenerate, create.IsAgentSession),
                Is.EqualTo(("template", "v3/templates/tpl_1", (string?)"bv-2", true, false)));
            Assert.That(create.Text, Is.EqualTo("Ada\nAcme"));
            Assert.That(spoken.Text, Is.EqualTo("Hi Ada from Acme!"));
            Assert.That(create.Body, Is.EqualTo(request.ToJson()));
        });
    }

    [Test]
    public async Task An_unknown_template_is_HeyGens_404()
    {
        var stub = new Stub((HttpStatusCode.NotFound, """{"error":{"code":"not_found","message":"Template not found."}}"""));
        var error = await Assert.ThrowsAsync<HeyGenApiException>(async () => await ClientOf(stub).GetTemplateAsync("nope", CancellationToken.None));
        Assert.That((error!.Status, error.Code), Is.EqualTo((HttpStatusCode.NotFound, "not_found")));
    }
}
