using BatchVideo.Scripts;

namespace BatchVideo.Tests.Scripts;

[TestFixture]
public sealed class ScriptRendererTests
{
    private static readonly string[] Headers = ["id", "First Name", "company"];

    private static ScriptRenderer Renderer(string script, string? title = null, params string[] optional) =>
        new(ScriptTemplate.Parse(script, "test.sbn"), title is null ? null : ScriptTemplate.Parse(title, "title"), Headers, optional);

    [Test]
    public void Renders_columns_by_identifier_and_by_original_header()
    {
        var result = Renderer("Hi {{ first_name }} from {{ row[\"company\"] }}").Render(["1", "Amélie", "Durand SA"], "1", "welcome");

        Assert.That(result.Problem, Is.Null);
        Assert.That(result.Script, Is.EqualTo("Hi Amélie from Durand SA"));
    }

    [Test]
    public void One_rows_template_cannot_change_the_builtins_the_next_row_sees()
    {
        var renderer = Renderer("{{ if key == \"1\" }}{{ string.upcase = 1 }}{{ end }}{{ string.upcase first_name }}");

        var first = renderer.Render(["1", "ann", "x"], "1", "welcome");
        var second = renderer.Render(["2", "bob", "y"], "2", "welcome");

        Assert.That(first.Problem, Is.Not.Null);
        Assert.That(second.Script, Is.EqualTo("BOB"));
    }

    [Test]
    public void Renderer_helpers_are_not_functions_templates_can_call()
    {
        Assert.That(Renderer("{{ to_identifier \"A b\" }}").Render(["1", "Jo", "x"], "1", "welcome").Problem, Is.Not.Null);
    }

    [Test]
    public void Empty_value_used_by_the_template_rejects_the_row_naming_the_column()
    {
        var result = Renderer("Hi {{ first_name }},").Render(["1", "", "x"], "1", "welcome");

        Assert.That(result.Script, Is.Null);
        Assert.That(result.Problem!.Column, Is.EqualTo("First Name"));
        Assert.That(result.Problem.Reason, Does.Contain("empty"));
    }

    [Test]
    public void Optional_column_may_be_empty()
    {
        var result = Renderer("Hi {{ first_name }}{{ if company != \"\" }} at {{ company }}{{ end }}.", null, "company")
            .Render(["1", "Jo", ""], "1", "welcome");

        Assert.That(result.Script, Is.EqualTo("Hi Jo."));
    }

    [Test]
    public void Unknown_variable_is_reported_before_the_run()
    {
        var renderer = Renderer("Hi {{ frist_name }} {{ x = 1 }}{{ x }}{{ for i in 1..2 }}{{ i }}{{ end }}{{ string.upcase key }}");

        Assert.That(renderer.UnknownVariables(), Is.EqualTo(new[] { "frist_name" }));
    }

    [Test]
    public void Unknown_variable_at_render_time_rejects_the_row()
    {
        var result = Renderer("Hi {{ frist_name }}").Render(["1", "Jo", "x"], "1", "welcome");

        Assert.That(result.Problem!.Reason, Does.Contain("frist_name"));
    }

    [Test]
    public void Whitespace_only_script_is_rejected_as_empty()
    {
        var result = Renderer("   {{ if false }}x{{ end }}  ").Render(["1", "Jo", "x"], "1", "welcome");

        Assert.That(result.Problem!.Reason, Does.Contain("empty"));
    }

    [Test]
    public void Script_over_HeyGen_limit_is_rejected_with_its_length()
    {
        var result = Renderer("{{ for i in 1..600 }}0123456789{{ end }}").Render(["1", "Jo", "x"], "1", "welcome");

        Assert.That(result.Problem!.Reason, Does.Contain("6000 characters"));
    }

    [Test]
    public void Infinite_loop_is_stopped_by_the_loop_limit()
    {
        var result = Renderer("{{ while true }}a{{ end }}").Render(["1", "Jo", "x"], "1", "welcome");

        Assert.That(result.Problem, Is.Not.Null);
        Assert.That(result.Problem!.Reason, Does.Contain("loop").IgnoreCase);
    }

    [Test]
    public void Runaway_recursion_is_stopped()
    {
        var result = Renderer("{{ func f; ret f; end; f }}").Render(["1", "Jo", "x"], "1", "welcome");

        Assert.That(result.Problem, Is.Not.Null);
    }

    [Test]
    public void Templates_cannot_include_files()
    {
        Assert.That(() => Renderer("{{ include '/etc/passwd' }}"), Throws.TypeOf<TemplateException>(), "a plain include is a template error at load");
        var result = Renderer("{{ read = include }}{{ read '/etc/passwd' }}").Render(["1", "Jo", "x"], "1", "welcome");

        Assert.That(result.Problem, Is.Not.Null, "and no loader exists for one the check cannot see");
        Assert.That(result.Script, Is.Null);
    }

    [Test]
    public void Syntax_error_names_file_line_and_column()
    {
        var error = Assert.Throws<TemplateException>(() => ScriptTemplate.Parse("Hello\n{{ if }}", "templates/bad.sbn"));

        Assert.That(error!.Message, Does.StartWith("Template syntax error in templates/bad.sbn:2:"));
    }

    [Test]
    public void Title_is_rendered_with_the_same_variables()
    {
        var result = Renderer("Hi {{ first_name }}", "Welcome {{ first_name }} ({{ key }})").Render(["7", "Jo", "x"], "7", "welcome");

        Assert.That(result.Title, Is.EqualTo("Welcome Jo (7)"));
    }

    [TestCase("First Name", "first_name")]
    [TestCase("e-mail", "e_mail")]
    [TestCase("  Company  ", "company")]
    [TestCase("2nd phone", "_2nd_phone")]
    public void Headers_become_identifiers(string header, string identifier) =>
        Assert.That(RowVariables.ToIdentifier(header), Is.EqualTo(identifier));
}
