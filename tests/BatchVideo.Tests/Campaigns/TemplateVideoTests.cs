using System.Text.Json;
using System.Text.Json.Nodes;
using BatchVideo.Campaigns;
using BatchVideo.Campaigns.Types;
using BatchVideo.HeyGen.Templates;
using BatchVideo.Scripts;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// The <c>template</c> video type's rules, each on its own: the start-up fit of <c>Variables</c> to the template HeyGen
/// returned (every problem naming the variable), the per-row rejects that keep a literal <c>{{first_name}}</c> out of a
/// paid video, the body built from HeyGen's own variable objects, the spoken length, and the revision in an approval.
/// </summary>
[TestFixture]
public sealed class TemplateVideoTests
{
    private static readonly string[] Headers = ["id", "first_name", "company", "plan", "logo_url", "voice"];

    private const string Welcome = """
        {"data":{"id":"tpl_welcome","name":"Welcome","aspect_ratio":"16:9","revision":3,"scene_ids":["s1","s2","s3"],
          "scenes":[
            {"scene_id":"s1","script":"Hi {{first_name}}, welcome to {{company}}!","variables":[{"name":"first_name","variable_type":"text"},{"name":"company","variable_type":"text"},{"name":"logo","variable_type":"image"}]},
            {"scene_id":"s2","script":"You are on the {{plan}} plan.","variables":[{"name":"plan","variable_type":"text"}]},
            {"scene_id":"s3","script":"Bye {{ nickname }}.","variables":[{"name":"nickname","variable_type":"text"}]}],
          "variables":{
            "first_name":{"name":"first_name","type":"text","properties":{"content":"there"}},
            "company":{"name":"company","type":"text","properties":{"content":"ACME","font_size":40}},
            "plan":{"name":"plan","type":"text","properties":{"content":"basic"}},
            "nickname":{"name":"nickname","type":"text","properties":{"content":"friend"}},
            "logo":{"name":"logo","type":"image","properties":{"url":"https://cdn.example/old.png","asset_id":"as_1","fit":"contain"}},
            "narrator":{"name":"narrator","type":"voice","properties":{"voice_id":"v_old"}}}}}
        """;

    private static TemplateDetail Template(string json = Welcome) =>
        JsonSerializer.Deserialize(json, TemplateJson.Default.TemplateDetailEnvelope)!.Data;

    private static CampaignOptions Campaign(Action<CampaignOptions>? change = null)
    {
        var campaign = new CampaignOptions
        {
            Type = VideoTypes.Template,
            TemplateId = "tpl_welcome",
            SceneIds = ["s1", "s2"],
            Variables = new(StringComparer.Ordinal)
            {
                ["first_name"] = "{{ first_name }}",
                ["company"] = "{{ company }}",
                ["plan"] = "{{ plan | string.capitalize }}",
                ["logo"] = "{{ logo_url }}",
            },
        };
        change?.Invoke(campaign);
        return campaign;
    }

    private static string[] Row(string firstName = "Ada", string logo = "https://cdn.example/acme.png", string plan = "gold") =>
        ["C-1", firstName, "Initech", plan, logo, "v_new"];

    private static RenderResult Render(CampaignOptions campaign, string[] row) =>
        TemplateBinding.Bind("welcome", campaign, Template(), Headers).Render(row, row[0], "welcome");

    [Test]
    public void A_campaign_that_maps_every_used_text_variable_fits()
    {
        Assert.That(TemplateBinding.Problems("welcome", Campaign(), Template()), Is.Empty);
    }

    [Test]
    public void A_text_variable_a_rendered_scene_uses_without_a_mapping_is_named_at_start()
    {
        var problems = TemplateBinding.Problems("welcome", Campaign(c => c.Variables.Remove("company")), Template());

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.Contain("text variable 'company'").And.Contain("scene s1").And.Contain("{{company}}"));
    }

    [Test]
    public void A_scene_left_out_of_SceneIds_needs_no_mapping_but_all_scenes_do()
    {
        Assert.That(TemplateBinding.Problems("welcome", Campaign(), Template()), Is.Empty, "s3 (nickname) is not rendered");

        var problems = TemplateBinding.Problems("welcome", Campaign(c => c.SceneIds = []), Template());

        Assert.That(problems, Has.Some.Contains("text variable 'nickname'").And.Some.Contains("scene s3"));
    }

    [Test]
    public void A_mapping_of_a_variable_the_template_lacks_is_named_at_start()
    {
        var problems = TemplateBinding.Problems("welcome", Campaign(c => c.Variables["frist_name"] = "{{ first_name }}"), Template());

        Assert.That(problems, Has.One.Contains("Campaigns:welcome:Variables:frist_name names no variable of template tpl_welcome"));
    }

    [Test]
    public void A_fixed_value_of_the_wrong_kind_is_named_at_start()
    {
        var problems = TemplateBinding.Problems("welcome", Campaign(c =>
        {
            c.Variables["narrator"] = "https://voices.example/v1.mp3";
            c.Variables["logo"] = "http://cdn.example/logo.png";
        }), Template());

        Assert.That(problems, Has.Some.Contains("Variables:narrator").And.Some.Contains("voice id, not a URL"));
        Assert.That(problems, Has.Some.Contains("Variables:logo").And.Some.Contains("https://"));
    }

    [Test]
    public void A_scene_id_the_template_lacks_is_named_at_start()
    {
        var problems = TemplateBinding.Problems("welcome", Campaign(c => c.SceneIds = ["s1", "s9"]), Template());

        Assert.That(problems, Has.One.Contains("scene 's9'"));
    }

    [Test]
    public void Binding_a_misfit_throws_every_problem_as_a_configuration_error()
    {
        var e = Assert.Throws<ConfigurationException>(() =>
            TemplateBinding.Bind("welcome", Campaign(c => { c.Variables.Remove("plan"); c.Variables["ghost"] = "x"; }), Template(), Headers));

        Assert.That(e!.Message, Does.Contain("'plan'").And.Contain("ghost"));
    }

    [Test]
    public void An_empty_cell_behind_a_text_variable_rejects_the_row_naming_variable_and_column()
    {
        var rendered = Render(Campaign(), Row(firstName: "  "));

        Assert.That(rendered.Problem, Is.Not.Null);
        Assert.That(rendered.Problem!.Column, Is.EqualTo("first_name"));
        Assert.That(rendered.Problem.Reason, Does.StartWith("template variable 'first_name':").And.Contain("is empty"));
    }

    [Test]
    public void Defaults_fill_an_empty_cell_behind_a_text_variable()
    {
        var rendered = Render(Campaign(c => c.Defaults["first_name"] = "there"), Row(firstName: ""));

        Assert.That(rendered.Problem, Is.Null);
        Assert.That(rendered.TemplateValues!["first_name"], Is.EqualTo("there"));
    }

    [Test]
    public void A_text_value_that_renders_empty_after_trimming_is_rejected()
    {
        var rendered = Render(Campaign(c => c.Variables["plan"] = "{{ if plan == 'none' }} {{ else }}{{ plan }}{{ end }}"), Row(plan: "none"));

        Assert.That(rendered.Problem?.Code, Is.EqualTo("empty_variable"));
        Assert.That(rendered.Problem!.Reason, Does.Contain("'plan' renders empty"));
    }

    [Test]
    public void A_text_value_still_holding_braces_is_rejected_even_when_merge_tags_are_accepted()
    {
        var rendered = Render(Campaign(c => c.AcceptProblems = ["merge_tag"]), Row(firstName: "{{first_name}}"));

        Assert.That(rendered.Problem?.Code, Is.EqualTo("unfilled_placeholder"));
        Assert.That(rendered.Problem!.Reason, Does.Contain("'first_name'"));
    }

    [Test]
    public void A_media_value_that_is_not_https_is_rejected_per_row()
    {
        var rendered = Render(Campaign(), Row(logo: "http://cdn.example/acme.png"));

        Assert.That(rendered.Problem?.Code, Is.EqualTo("variable_misfit"));
        Assert.That(rendered.Problem!.Reason, Does.Contain("'logo'").And.Contain("https://"));
    }

    [Test]
    public void The_spoken_text_is_the_rendered_scenes_scripts_with_the_row_values_in_place()
    {
        var rendered = Render(Campaign(), Row());

        Assert.That(rendered.Script, Is.EqualTo("Hi Ada, welcome to Initech!\n\nYou are on the Gold plan."));
        Assert.That(VideoRequests.MinutesOf(Campaign(c => c.WordsPerMinute = 60), rendered.Script!), Is.EqualTo(CreditEstimate.MinutesOf(rendered.Script!, 60)).Within(1e-9));
        Assert.That(VideoPrice.RateOf(Campaign(c => c.Resolution = "720p")), Is.EqualTo(("avatar_iv", "720p")), "priced at HeyGen's default engine: the template's is not in its GET answer");
    }

    [Test]
    public void The_body_replaces_only_the_values_of_the_variable_objects_HeyGen_returned()
    {
        var campaign = Campaign(c => { c.Captions = true; c.Fps = 30; c.Dimension = "1280x720"; c.EnableSharing = true; });
        var binding = TemplateBinding.Bind("welcome", campaign, Template(), Headers);
        var run = new PreparedRun("welcome", campaign, null!, null!, new RunRequest("welcome", null, null)) { Template = binding };
        var rendered = run.Render(Row(), "C-1");

        var create = VideoRequests.Build(run, "C-1", rendered, null);

        var body = JsonNode.Parse(create.Body)!.AsObject();
        var marker = RecipientIdentity.Marker("welcome", "C-1");
        Assert.Multiple(() =>
        {
            Assert.That(create.Route, Is.EqualTo("v3/templates/tpl_welcome"));
            Assert.That(body["variables"]!["company"]!.ToJsonString(), Is.EqualTo("""{"name":"company","type":"text","properties":{"content":"Initech","font_size":40}}"""));
            Assert.That(body["variables"]!["logo"]!.ToJsonString(), Is.EqualTo("""{"name":"logo","type":"image","properties":{"url":"https://cdn.example/acme.png","fit":"contain"}}"""));
            Assert.That(body["variables"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "first_name", "company", "plan", "logo" }), "the voice is not mapped, so the template keeps its own");
            Assert.That(body["scene_ids"]!.ToJsonString(), Is.EqualTo("""["s1","s2"]"""));
            Assert.That((string?)body["title"], Is.EqualTo($"welcome [{marker}]"));
            Assert.That((bool?)body["caption"], Is.True);
            Assert.That((double?)body["fps"], Is.EqualTo(30));
            Assert.That(body["dimension"]!.ToJsonString(), Is.EqualTo("""{"width":1280,"height":720}"""));
            Assert.That((bool?)body["enable_sharing"], Is.True);
            Assert.That(body.ContainsKey("include_gif"), Is.False, "unset options are left to HeyGen's defaults");
            Assert.That(create.Body, Does.Not.Contain("{{"));
            Assert.That(create.Text, Is.EqualTo(rendered.Script));
        });
    }

    [Test]
    public void A_template_video_has_its_own_idempotency_key_and_trusted_route()
    {
        var key = RecipientIdentity.IdempotencyKey("welcome", "C-1", 1, VideoTypes.Template);

        Assert.That(key, Is.EqualTo($"{RecipientIdentity.Marker("welcome", "C-1")}-template-a1"));
        Assert.That(RecipientIdentity.FollowingKey(key), Does.EndWith("-template-a2"));
        Assert.That(VideoTypes.RouteOf(Campaign()), Is.EqualTo("v3/templates/tpl_welcome"));
    }

    [Test]
    public void A_save_in_HeyGens_editor_changes_what_an_approval_covers()
    {
        var campaign = Campaign();

        Assert.That(ApprovalFingerprint.Of(Campaign(), "r3"), Is.EqualTo(ApprovalFingerprint.Of(campaign, "r3")), "stable for the same campaign and revision");
        Assert.That(ApprovalFingerprint.Of(campaign, "r4"), Is.Not.EqualTo(ApprovalFingerprint.Of(campaign, "r3")));
        Assert.That(ApprovalFingerprint.Of(Campaign(c => c.Variables["plan"] = "{{ plan }}"), "r3"), Is.Not.EqualTo(ApprovalFingerprint.Of(campaign, "r3")));
        Assert.That(Template().RevisionMarker, Is.EqualTo("r3"));
    }

    [Test]
    public void Start_up_validation_says_what_a_template_campaign_needs_and_refuses()
    {
        var errors = new List<string>();
        VideoTypes.Validate("Campaigns:t", new CampaignOptions { Type = VideoTypes.Template, AvatarId = "look_1", Engine = "avatar_iv", Fps = 24, Dimension = "1920x1081" }, errors);

        Assert.That(errors, Has.Some.Contains("Campaigns:t:TemplateId is missing"));
        Assert.That(errors, Has.Some.Contains("Campaigns:t:Variables is empty"));
        Assert.That(errors, Has.Some.Contains("Campaigns:t:AvatarId and VoiceId cannot be used with template"));
        Assert.That(errors, Has.Some.Contains("Campaigns:t:Engine cannot be used with template"));
        Assert.That(errors, Has.Some.Contains("Campaigns:t:Fps 24"));
        Assert.That(errors, Has.Some.Contains("Campaigns:t:Dimension '1920x1081'"));

        var fine = new List<string>();
        VideoTypes.Validate("Campaigns:t", Campaign(c => { c.Fps = 60; c.Dimension = "1920x1080"; c.Captions = true; }), fine);
        Assert.That(fine, Is.Empty);
    }
}
