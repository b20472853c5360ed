using System.Text.Json;
using BatchVideo.HeyGen.Templates;

namespace BatchVideo.Tests.HeyGen;

/// <summary>A template's scene scripts: the placeholders they name, the chosen scenes, and what they say once filled.</summary>
[TestFixture]
public sealed class TemplateScriptsTests
{
    private static readonly TemplateDetail Template = JsonSerializer.Deserialize<TemplateDetail>("""
        {"id":"tpl_1","name":"T",
         "scenes":[
           {"scene_id":"s1","script":"Hi {{first_name}} at {{company}}, {{first_name}}!","variables":[{"name":"first_name","variable_type":"text"},{"name":"logo","variable_type":"image"}]},
           {"scene_id":"s2","script":"Meet {{presenter}} about {{deal}}.","variables":[]},
           {"scene_id":"s3","script":null}],
         "variables":{
           "first_name":{"name":"first_name","type":"text","properties":{"content":"there"}},
           "company":{"name":"company","type":"text","properties":{"content":"you"}},
           "presenter":{"name":"presenter","type":"character","properties":{"character_id":"look_1"}},
           "logo":{"name":"logo","type":"image","properties":{"url":"https://x/l.png"}}}}
        """)!;

    [Test]
    public void Placeholders_are_named_once_in_order() =>
        Assert.That(TemplateScripts.Placeholders("{{b}} and {{a}} then {{b}}, not {{ spaced }} nor {x}"), Is.EqualTo(new[] { "b", "a" }));

    [Test]
    public void A_placeholder_without_a_value_stays_literal() =>
        Assert.That(
            TemplateScripts.Fill("Hi {{first_name}} at {{company}}", new Dictionary<string, string> { ["first_name"] = "Ada" }),
            Is.EqualTo("Hi Ada at {{company}}"));

    [Test]
    public void Text_variables_used_come_from_the_lists_and_the_scripts_of_the_chosen_scenes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TemplateScripts.TextVariablesUsed(Template, TemplateScripts.Chosen(Template, null)),
                Is.EqualTo(new[] { "first_name", "company", "deal" }), "presenter is a character; deal is in no variable, so it would stay literal");
            Assert.That(TemplateScripts.TextVariablesUsed(Template, TemplateScripts.Chosen(Template, ["s2"])), Is.EqualTo(new[] { "deal" }));
        });
    }

    [Test]
    public void Chosen_scenes_keep_order_and_repeats_and_refuse_an_unknown_one()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TemplateScripts.Chosen(Template, ["s2", "s1", "s2"]).Select(s => s.SceneId), Is.EqualTo(new[] { "s2", "s1", "s2" }));
            Assert.That(() => TemplateScripts.Chosen(Template, ["s9"]), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("'s9'"));
        });
    }

    [Test]
    public void Spoken_text_joins_the_filled_scripts()
    {
        var values = new Dictionary<string, string> { ["first_name"] = "Ada", ["company"] = "Acme", ["deal"] = "the renewal" };
        Assert.That(TemplateScripts.Spoken(Template.Scenes!, values), Is.EqualTo("Hi Ada at Acme, Ada! Meet {{presenter}} about the renewal."));
    }
}
