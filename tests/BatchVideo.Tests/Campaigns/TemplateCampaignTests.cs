using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Reliability;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// A <c>Type: template</c> campaign end to end against the sandbox's template with three text variables over two scenes
/// and an image variable (<c>tpl_sandbox_welcome</c>): each row's creates carry every text variable filled, a row that
/// would say "Hi {{first_name}}" is rejected before it is paid, the template is read once per run, and the campaign
/// keeps BatchVideo's promises (a rerun sends nothing, a kill pays once, an editor save asks for a new sample).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TemplateCampaignTests
{
    private const string TemplateId = "tpl_sandbox_welcome";
    private const int Rows = 40;
    private const int EmptyRow = 17;

    /// <summary>Every request the pipeline sends to HeyGen: method, path and body.</summary>
    private sealed class Recorder(ConcurrentQueue<(string Method, string Path, string? Body)> log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            log.Enqueue((request.Method.Method, request.RequestUri!.AbsolutePath, body));
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private static void UseTemplate(PipelineHarness harness, Action<JsonObject>? change = null) => harness.WriteConfig(c =>
    {
        var campaign = new JsonObject
        {
            ["Type"] = "template",
            ["TemplateId"] = TemplateId,
            ["Variables"] = new JsonObject
            {
                ["first_name"] = "{{ first_name }}",
                ["company"] = "{{ company }}",
                ["offer"] = "{{ offer }}",
                ["logo"] = "{{ logo_url }}",
            },
            ["TitleTemplate"] = "Welcome {{ first_name }}",
            ["KeyColumn"] = "id",
        };
        change?.Invoke(campaign);
        c["Campaigns"]!["welcome"] = campaign;
    });

    /// <summary>40 contacts; row <see cref="EmptyRow"/> has no first name.</summary>
    private static string WriteContacts(PipelineHarness harness)
    {
        var text = new StringBuilder("id,first_name,company,offer,logo_url\n");
        for (var i = 1; i <= Rows; i++)
        {
            var name = i == EmptyRow ? "" : $"Name{i}";
            text.Append(CultureInfo.InvariantCulture, $"C-{i},{name},Company {i},{i} free weeks,https://cdn.example/logo-{i}.png\n");
        }

        return harness.Folder.Write("contacts.csv", text.ToString());
    }

    [Test]
    public async Task Template_campaign_of_40_rows_with_one_empty_cell_creates_39_filled_videos_once()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        UseTemplate(harness);
        var csv = WriteContacts(harness);
        var sent = new ConcurrentQueue<(string Method, string Path, string? Body)>();
        void Record(IServiceCollection services) => services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new Recorder(sent)));

        var named = new List<BatchVideo.Campaigns.RowProblem>();
        var checkedFirst = await harness.ValidateAsync(csv, online: true, onProblem: named.Add);
        var createsAfterValidate = harness.Sandbox.Stats.CreateRequests;
        var first = await harness.RunAsync(csv, services: Record);
        var templateReadsInFirstRun = sent.Count(r => r is { Method: "GET", Path: "/v3/templates/" + TemplateId });
        var createsAfterFirst = harness.Sandbox.Stats.CreateRequests;
        var again = await harness.RunAsync(csv);

        var creates = sent.Where(r => r is { Method: "POST", Path: "/v3/templates/" + TemplateId }).Select(r => JsonNode.Parse(r.Body!)!.AsObject()).ToList();
        var rejected = named.Single();
        Assert.Multiple(() =>
        {
            Assert.That(createsAfterValidate, Is.Zero, "validate names the row and sends nothing");
            Assert.That(checkedFirst.Rejected, Is.EqualTo(1));
            Assert.That((rejected.Line, rejected.Key, rejected.Column), Is.EqualTo((EmptyRow + 1, $"C-{EmptyRow}", "first_name")));
            Assert.That(rejected.Reason, Does.Contain("template variable 'first_name'"));
            Assert.That((first.Read, first.Rejected, first.Completed, first.Failed), Is.EqualTo((40L, 1L, 39L, 0L)));
            Assert.That(first.Problems.Single().Key, Is.EqualTo($"C-{EmptyRow}"));
            Assert.That(templateReadsInFirstRun, Is.EqualTo(1), "the template is read once per run, not per row");
            Assert.That(createsAfterFirst, Is.EqualTo(39));
            Assert.That(harness.Sandbox.Videos, Has.Count.EqualTo(39));
            Assert.That(harness.CreatedMarkers(), Is.Unique);
            Assert.That(again.Submitted, Is.Zero);
            Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(39), "a rerun sends nothing");
        });
        Assert.That(creates, Has.Count.EqualTo(39));
        foreach (var body in creates)
        {
            var variables = body["variables"]!.AsObject();
            foreach (var name in new[] { "first_name", "company", "offer" })
            {
                var content = (string?)variables[name]?["properties"]?["content"];
                Assert.That(content, Is.Not.Null.And.Not.Empty.And.Not.Contains("{{"), $"{name} in {body.ToJsonString()}");
            }

            Assert.That((string?)variables["logo"]!["properties"]!["url"], Does.StartWith("https://cdn.example/logo-"));
        }

        Assert.That(harness.Sandbox.Videos.Select(v => v.Script), Has.None.Contains("{{"), "nothing the sandbox would speak holds a placeholder");
        var written = File.ReadAllLines(csv).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.That(written.Count(l => l.Contains(",completed,", StringComparison.Ordinal)), Is.EqualTo(39), "39 rows written back");
        Assert.That(written[EmptyRow - 1], Does.Not.Contain(",completed,"));
    }

    [Test]
    public async Task A_text_variable_left_out_of_Variables_stops_the_run_with_exit_2_naming_it_and_no_create()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        UseTemplate(harness, c => c["Variables"]!.AsObject().Remove("offer"));
        WriteContacts(harness);

        var run = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--quiet");
        var unknown = await UnknownMappingAsync(harness);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("text variable 'offer'").And.Contain("scene_welcome_offer"));
        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.Output + unknown.Error);
        Assert.That(unknown.Error, Does.Contain("Variables:headline names no variable of template " + TemplateId));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    private static async Task<CliResult> UnknownMappingAsync(PipelineHarness harness)
    {
        UseTemplate(harness, c => c["Variables"]!["headline"] = "{{ company }}");
        return await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--quiet");
    }

    [Test]
    public async Task A_save_of_the_template_in_HeyGens_editor_after_approval_asks_for_a_new_sample()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        UseTemplate(harness, c => c["RequireApproval"] = true);
        WriteContacts(harness);
        string[] run = ["run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--quiet"];
        await harness.RunCliAsync([.. run, "--sample", "2"]);
        var approve = await harness.RunCliAsync("approve", "--config", harness.ConfigPath);
        harness.Sandbox.SaveTemplate(TemplateId);

        var changed = await harness.RunCliAsync(run);
        var staleApproval = await harness.RunCliAsync("approve", "--config", harness.ConfigPath);
        var createdBeforeNewSample = harness.Sandbox.Stats.VideosCreated;
        await harness.RunCliAsync([.. run, "--sample", "1"]);
        var approveNew = await harness.RunCliAsync("approve", "--config", harness.ConfigPath);

        Assert.That(approve.ExitCode, Is.Zero, approve.Output + approve.Error);
        Assert.That(changed.ExitCode, Is.EqualTo(1), changed.Output + changed.Error);
        Assert.That(changed.Output, Does.Contain("its HeyGen template was saved").And.Contain("make a new sample"));
        Assert.That(staleApproval.ExitCode, Is.EqualTo(2), "the old sample does not approve the saved template");
        Assert.That(createdBeforeNewSample, Is.EqualTo(2));
        Assert.That(approveNew.ExitCode, Is.Zero, approveNew.Output + approveNew.Error);
    }

    [Test]
    public async Task Template_batch_killed_then_rerun_pays_once_per_row()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200) });
        UseTemplate(harness);
        WriteContacts(harness);
        string[] args = ["run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--quiet"];
        var storm = new KillStorm(harness, Rows, seed: 20261206);

        await storm.KillAsync(args, 3);
        var final = await storm.FinishAsync(args);

        var expected = storm.ExpectedMarkers("welcome", i => $"C-{i}").Where(m => m != BatchVideo.Campaigns.RecipientIdentity.Marker("welcome", $"C-{EmptyRow}"));
        Assert.That(storm.Kills, Is.GreaterThanOrEqualTo(2), "the kills must land while runs are busy");
        Assert.That(final.ExitCode, Is.EqualTo(1), "the empty row stays rejected: " + final.Output + final.Error);
        Assert.That(harness.CreatedMarkers().Order(StringComparer.Ordinal), Is.EqualTo(expected.Order(StringComparer.Ordinal)), "one paid video per row, whatever the kills");
    }

    [Test]
    public async Task Dry_run_and_preview_show_the_reject_the_rendered_scenes_and_the_exact_body_without_a_create()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        UseTemplate(harness);
        var csv = WriteContacts(harness);

        var dry = await harness.RunAsync(csv, dryRun: true);
        var sendable = await harness.RunCliAsync("preview", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--row", "C-1");
        var rejected = await harness.RunCliAsync("preview", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--row", $"C-{EmptyRow}");

        Assert.That((dry.Rejected, dry.WouldSubmit, dry.Submitted), Is.EqualTo((1L, 39L, 0L)), "a dry run counts what a run would send, apart from sent");
        Assert.That(dry.Problems.Single().Reason, Does.Contain("template variable 'first_name'"));
        Assert.That(sendable.Output, Does.Contain("type:   template")
            .And.Contain("| Hi Name1, this is a quick hello for everyone at Company 1.")
            .And.Contain("| Name1, we saved 1 free weeks for you. See you soon!")
            .And.Contain($"POST {harness.Sandbox.BaseAddress.AbsoluteUri}v3/templates/{TemplateId}")
            .And.Contain("\"offer\":{\"name\":\"offer\",\"type\":\"text\",\"properties\":{\"content\":\"1 free weeks\"}}"), sendable.Output + sendable.Error);
        Assert.That(rejected.Output, Does.Contain($"key C-{EmptyRow}: not sent").And.Contain("template variable 'first_name'"), rejected.Output + rejected.Error);
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }
}
