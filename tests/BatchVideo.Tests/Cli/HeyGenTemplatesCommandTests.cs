using System.Text.Json;
using System.Text.Json.Nodes;
using BatchVideo.Cli;
using BatchVideo.HeyGen.Templates;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// <c>batchvideo heygen templates list|show</c>: the account's templates, one template's variables, scenes and
/// revision, and a Variables snippet a user pastes into a campaign.
/// </summary>
[TestFixture]
public sealed class HeyGenTemplatesCommandTests
{
    private static TemplateDetail DetailOf(string json) =>
        JsonSerializer.Deserialize<TemplateDetail>(json) ?? throw new InvalidOperationException("no template");

    [Test]
    [Category("Integration")]
    public async Task List_and_show_read_the_account_and_show_a_save_as_a_new_revision()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var list = await harness.RunCliAsync("heygen", "templates", "list", "--config", harness.ConfigPath);
        var before = await harness.RunCliAsync("heygen", "templates", "show", "tpl_sandbox_welcome", "--config", harness.ConfigPath);
        harness.Sandbox.SaveTemplate("tpl_sandbox_welcome");
        var after = await harness.RunCliAsync("heygen", "templates", "show", "tpl_sandbox_welcome", "--config", harness.ConfigPath);

        Assert.Multiple(() =>
        {
            Assert.That(list.ExitCode, Is.Zero, list.Error);
            Assert.That(list.Output, Does.Contain("tpl_sandbox_welcome").And.Contain("tpl_sandbox_tour").And.Contain("2 templates."));
            Assert.That(before.ExitCode, Is.Zero, before.Error);
            Assert.That(before.Output, Does.Contain("Revision 1,").And.Contain("first_name  text       \"there\""));
            Assert.That(before.Output, Does.Contain("Hi {{first_name}}, this is a quick hello for everyone at {{company}}."));
            Assert.That(before.Output, Does.Contain("\"first_name\": \"{{ first_name }}\""));
            Assert.That(after.Output, Does.Contain("Revision 2,"));
        });
    }

    [Test]
    [Category("Integration")]
    public async Task Show_of_an_unknown_template_says_so_and_exits_2()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var result = await harness.RunCliAsync("heygen", "templates", "show", "tpl_gone", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("no template 'tpl_gone'").And.Contain("batchvideo heygen templates list"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public void The_snippet_is_json_mapping_text_to_columns_and_keeping_other_values()
    {
        var template = DetailOf("""
            {"id":"tpl_9","name":"N","variables":{
              "First Name":{"name":"First Name","type":"text","properties":{"content":"x"}},
              "2nd-line":{"name":"2nd-line","type":"text","properties":{"content":"y"}},
              "voice":{"name":"voice","type":"voice","properties":{"voice_id":"v_7"}},
              "hero":{"name":"hero","type":"image","properties":{"asset_id":"as_1"}}}}
            """);

        var snippet = JsonNode.Parse(TemplateListing.Snippet(template))!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)snippet["Type"], Is.EqualTo("template"));
            Assert.That((string?)snippet["TemplateId"], Is.EqualTo("tpl_9"));
            Assert.That(snippet["Variables"]!.AsObject().Select(p => (p.Key, (string?)p.Value)), Is.EqualTo(new[]
            {
                ("First Name", (string?)"{{ first_name }}"),
                ("2nd-line", "{{ column_2nd_line }}"),
                ("voice", "v_7"),
                ("hero", "as_1"),
            }));
        });
    }

    [Test]
    public void A_name_or_script_from_HeyGen_cannot_drive_the_terminal()
    {
        var template = DetailOf("""
            {"id":"tpl_\u001b[31m","name":"Evil\u202Eeman","scenes":[{"scene_id":"s1","script":"Hi\r\nforged line"}],
             "variables":{"x":{"name":"x","type":"text","properties":{"content":"\u0007"}}}}
            """);
        using var output = new StringWriter();

        TemplateListing.WriteDetail(output, template);
        TemplateListing.WriteList(output, [new TemplateSummary(template.Id, template.Name, null, null, null, null)]);

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text.Where(c => char.IsControl(c) && c != '\n' || c == '\u202E').Select(c => (int)c), Is.Empty, text);
            Assert.That(text, Does.Contain("tpl_\\u001B[31m").And.Contain("Hi\\u000D\\u000Aforged line"));
        });
    }

    [Test]
    public void An_empty_account_explains_which_templates_HeyGen_lists()
    {
        using var output = new StringWriter();

        TemplateListing.WriteList(output, []);

        Assert.That(output.ToString(), Does.Contain("No API-ready templates").And.Contain("API variable"));
    }
}
