using System.Text.Json.Nodes;
using BatchVideo.Campaigns;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// Per-row choices (<c>Columns:Look</c>, <c>Voice</c>, <c>Background</c>, <c>VoiceSpeed</c>, <c>VoiceLocale</c>,
/// <c>AspectRatio</c>): each cell checked, every distinct look and voice asked about once before the first create,
/// and a row HeyGen cannot take rejected with its line and value instead of sent.
/// </summary>
[TestFixture]
public sealed class RowChoiceTests
{
    private const string Csv =
        "id,first_name,company,look,voice,bg,speed\n"
        + "C-1,Ada,Acme,sandbox_avatar_ben,sandbox_voice_en_bright,#1a2b3c,1.2\n"
        + "C-2,Bo,Beta,,,https://cdn.example/bg.png,\n"
        + "C-3,Cy,Gamma,no_such_look,sandbox_voice_en_warm,,\n"
        + "C-4,Di,Delta,sandbox_avatar_anna,no_such_voice,,\n"
        + "C-5,Ed,Eps,sandbox_avatar_ben,sandbox_voice_en_warm,blue,\n"
        + "C-6,Flo,Phi,sandbox_avatar_ben,sandbox_voice_en_warm,,2.5\n"
        + "C-7,Gus,Chi,sandbox_avatar_anna,sandbox_voice_en_bright,,0.8\n";

    [Test]
    [Category("Integration")]
    public async Task Rows_choose_look_voice_and_background_and_unknown_ones_are_rejected_before_any_create()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["Columns"] = new JsonObject
        {
            ["Look"] = "look",
            ["Voice"] = "voice",
            ["Background"] = "bg",
            ["VoiceSpeed"] = "speed",
        });
        var csv = harness.Folder.Write("contacts.csv", Csv);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.Rejected), Is.EqualTo((3L, 4L)), string.Join("; ", summary.Problems.Select(p => $"{p.Line} {p.Reason}")));
        var byMarker = harness.Sandbox.Videos.ToDictionary(v => v.Title![(v.Title!.LastIndexOf('[') + 1)..].TrimEnd(']'));
        var ada = byMarker[RecipientIdentity.Marker("welcome", "C-1")];
        Assert.That((ada.AvatarId, ada.VoiceId), Is.EqualTo(("sandbox_avatar_ben", "sandbox_voice_en_bright")));
        var bo = byMarker[RecipientIdentity.Marker("welcome", "C-2")];
        Assert.That((bo.AvatarId, bo.VoiceId), Is.EqualTo(("sandbox_avatar_anna", "sandbox_voice_en_warm")), "blank cells keep the campaign's look and voice");
        Assert.That(byMarker.Keys, Has.None.EqualTo(RecipientIdentity.Marker("welcome", "C-3")).And.None.EqualTo(RecipientIdentity.Marker("welcome", "C-4")));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(3), "no create for a rejected row");
        var problems = summary.Problems.ToDictionary(p => p.Key!);
        Assert.That((problems["C-3"].Line, problems["C-3"].Column, problems["C-3"].Code), Is.EqualTo((4L, "look", "unknown_look")));
        Assert.That(problems["C-3"].Reason, Does.Contain("no_such_look"));
        Assert.That((problems["C-4"].Line, problems["C-4"].Code), Is.EqualTo((5L, "unknown_voice")));
        Assert.That(problems["C-4"].Reason, Does.Contain("no_such_voice"));
        Assert.That((problems["C-5"].Column, problems["C-5"].Code), Is.EqualTo(("bg", "bad_choice")));
        Assert.That(problems["C-6"].Reason, Does.Contain("'2.5'"));
    }

    [Test]
    [Category("Integration")]
    public async Task Validate_asks_about_each_distinct_look_and_voice_and_rejects_the_unknown_ones()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["Columns"] = new JsonObject { ["Look"] = "look", ["Voice"] = "voice", ["Background"] = "bg", ["VoiceSpeed"] = "speed" });
        var csv = harness.Folder.Write("contacts.csv", Csv);

        var result = await harness.RunCliAsync("validate", "--csv", csv, "--config", harness.ConfigPath, "--json");

        Assert.That(result.Output, Does.Contain("3 looks and 3 voices chosen by rows checked, 2 refused"), result.Output + result.Error);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        Assert.That(json.RootElement.GetProperty("counts").GetProperty("rejected").GetInt64(), Is.EqualTo(4), result.Output);
        Assert.That(json.RootElement.GetProperty("counts").GetProperty("toSubmit").GetInt64(), Is.EqualTo(3), result.Output);
        Assert.That(result.Output + result.Error, Does.Contain("no_such_look").And.Contain("no_such_voice"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [Test]
    public void A_rows_choices_go_into_the_avatar_request()
    {
        var options = new CampaignOptions { AvatarId = "look_1", VoiceId = "voice_1", Columns = new WriteBackColumns { Look = "look", Background = "bg", VoiceSpeed = "speed", VoiceLocale = "locale", AspectRatio = "ratio" } };
        var reader = Reader(options, ["id", "look", "bg", "speed", "locale", "ratio"]);
        var (choices, problem) = reader.Read(["C-1", "look_9", "#ffffff", "0.9", "en-GB", "9:16"]);
        var run = new PreparedRun("welcome", options, null!, null!, new RunRequest("welcome", null, null));

        var create = VideoRequests.Build(run, "C-1", RenderResult.Ok("Hi", null) with { Choices = choices }, null);

        Assert.That(problem, Is.Null);
        Assert.That(create.Body, Does.Contain("\"avatar_id\":\"look_9\",\"voice_id\":\"voice_1\"")
            .And.Contain("\"aspect_ratio\":\"9:16\"")
            .And.Contain("\"background\":{\"type\":\"color\",\"value\":\"#ffffff\"}")
            .And.Contain("\"voice_settings\":{\"speed\":0.9,\"locale\":\"en-GB\"}"));
    }

    [TestCase("bg", "#12345", "is neither a hex colour")]
    [TestCase("bg", "ftp://x/y.png", "is neither a hex colour")]
    [TestCase("bg", "#fff", "is neither a hex colour of six digits (#rrggbb)")]
    [TestCase("bg", "http://cdn.example/bg.png", "nor an image URL starting https://")]
    [TestCase("speed", "0,9", "is not a voice speed")]
    [TestCase("speed", "0.4", "is not a voice speed")]
    [TestCase("locale", "English", "is not a locale")]
    [TestCase("ratio", "3:2", "is not an aspect ratio")]
    public void A_bad_cell_rejects_its_row_naming_column_and_value(string column, string value, string expected)
    {
        var options = new CampaignOptions { Columns = new WriteBackColumns { Background = "bg", VoiceSpeed = "speed", VoiceLocale = "locale", AspectRatio = "ratio" } };
        string[] headers = ["id", "bg", "speed", "locale", "ratio"];
        var values = new[] { "C-1", "", "", "", "" };
        values[Array.IndexOf(headers, column)] = value;

        var (choices, problem) = Reader(options, headers).Read(values);

        Assert.That(choices, Is.Null);
        Assert.That(problem!.Column, Is.EqualTo(column));
        Assert.That(problem.Reason, Does.Contain($"'{value}'").And.Contain(expected));
    }

    [Test]
    public void A_mapped_column_missing_from_the_source_is_a_start_up_error()
    {
        var options = new CampaignOptions { Columns = new WriteBackColumns { Look = "avatar" } };

        Assert.That(() => Reader(options, ["id", "look"]), Throws.TypeOf<ConfigurationException>().With.Message.Contains("Columns:Look 'avatar' is not a column"));
    }

    [Test]
    public void Types_refuse_choice_columns_their_request_cannot_carry()
    {
        var errors = new List<string>();
        VideoTypes.Validate("Campaigns:c", new CampaignOptions { Type = VideoTypes.VideoAgent, Columns = new WriteBackColumns { Look = "l", Voice = "v", Background = "bg" } }, errors);
        VideoTypes.Validate("Campaigns:d", new CampaignOptions { Type = VideoTypes.CinematicAvatar, AvatarIds = ["a"], Columns = new WriteBackColumns { Look = "l", AspectRatio = "r", Voice = "v" } }, errors);

        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "Campaigns:c:Columns:Background cannot be used with video_agent: its request has no such field.",
            "Campaigns:d:Columns:Voice cannot be used with cinematic_avatar: its request has no such field.",
        }));
    }

    private static RowChoiceReader Reader(CampaignOptions options, IReadOnlyList<string> headers) =>
        RowChoiceReader.For(options, new HeaderOnly(headers))!;

    private sealed class HeaderOnly(IReadOnlyList<string> columns) : IRecipientSource
    {
        public string Name => "test.csv";

        public string KeyColumn => "id";

        public IReadOnlyList<string> Columns => columns;

        public IAsyncEnumerable<SourceRow> ReadRowsAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<WriteBackResult> WriteBackAsync(WriteBackLookup lookup, CancellationToken ct) => throw new NotSupportedException();
    }
}
