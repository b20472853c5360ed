using BatchVideo.Sandbox;
using BatchVideo.Settings;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Tests.Settings;

[TestFixture]
public sealed class UnknownSettingTests
{
    [Test]
    public void A_misspelled_key_in_a_campaign_names_the_nearest_known_key()
    {
        var check = Check(new() { ["Campaigns:welcome:Resolutoin"] = "4k", ["Campaigns:welcome:AvatarId"] = "anna" });

        Assert.That(check.Problems.Select(p => (p.Section, p.Path)), Is.EqualTo(new[] { ("", "Campaigns:welcome:Resolutoin") }));
        Assert.That(check.Problems[0].Message, Does.Contain("did you mean `Resolution`?"));
    }

    [Test]
    public void Unknown_keys_are_found_in_every_section_we_own_and_in_nested_objects()
    {
        var check = Check(new()
        {
            ["HeyGen:MaxConcurency"] = "4",
            ["Ledger:Backup"] = "2",
            ["Reports:Foldr"] = "out",
            ["Campaigns:welcome:Columns:VidoeId"] = "vid",
            ["Campaigns:welcome:Source:Tabel"] = "contacts",
            ["Pricing:UsdPerSecond:avatar_iv:1080p"] = "0.1",
            ["Storage:Whatever"] = "x",
        });

        Assert.That(check.Problems.Select(p => p.Path), Is.EquivalentTo(new[]
        {
            "HeyGen:MaxConcurency", "Ledger:Backup", "Reports:Foldr", "Campaigns:welcome:Columns:VidoeId", "Campaigns:welcome:Source:Tabel", "Storage:Whatever",
        }));
        Assert.That(check.Problems.Single(p => p.Path == "HeyGen:MaxConcurency").Section, Is.EqualTo("HeyGen"));
        Assert.That(check.Problems.Single(p => p.Path == "Ledger:Backup").Message, Does.Contain("`Backups`"));
        Assert.That(check.Problems.Single(p => p.Path == "Campaigns:welcome:Columns:VidoeId").Message, Does.Contain("`VideoId`"));
        Assert.That(check.Problems.Single(p => p.Path == "Storage:Whatever").Message, Does.Contain("the settings here are").And.Contain("Folder"));
    }

    [Test]
    public void Keys_outside_our_sections_and_dictionary_entries_are_not_flagged()
    {
        var check = Check(new()
        {
            ["PATH"] = "/usr/bin",
            ["Logging:LogLevel:Default"] = "Warning",
            ["ConnectionStrings:crm"] = "Data Source=crm.db",
            ["Campaigns:any-name:Defaults:first_name"] = "there",
            ["Campaigns:any-name:OptionalColumns:0"] = "company",
            ["resolution"] = "ignored at the root",
            ["Campaigns:any-name:resolution"] = "720p",
        });

        Assert.That(check.Problems, Is.Empty);
    }

    [Test]
    public void The_sandbox_section_is_checked_against_its_own_options()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sandbox:RenderTim"] = "00:00:01" }).Build();

        var check = SettingsCheck.Apply(configuration, [("Sandbox", typeof(SandboxOptions))]);

        Assert.That(check.Problems.Single().Message, Does.Contain("did you mean `RenderTime`?"));
    }

    [Test]
    public void Nothing_close_gets_no_guess()
    {
        Assert.That(SettingKeys.Nearest("Colour", ["Resolution", "AvatarId"]), Is.Null);
        Assert.That(SettingKeys.Nearest("avatarid", ["Resolution", "AvatarId"]), Is.EqualTo("AvatarId"));
    }

    [Test]
    [Category("Integration")]
    public async Task A_misspelled_key_stops_run_and_validate_with_exit_2_before_anything_is_sent()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["Resolutoin"] = "4k");
        harness.WriteCsv(3);

        var run = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var validate = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Error);
        Assert.That(run.Error, Does.Contain("Campaigns:welcome:Resolutoin").And.Contain("did you mean `Resolution`?"));
        Assert.That(validate.ExitCode, Is.EqualTo(2), validate.Output + validate.Error);
        Assert.That(validate.Error, Does.Contain("did you mean `Resolution`?"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

    [Test]
    public void Every_committed_configuration_names_only_known_keys()
    {
        var files = Directory.EnumerateFiles(Repository.Root, "appsettings*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var problems = files.SelectMany(f =>
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(f).Build();
            return SettingsCheck.Apply(configuration, [.. BatchVideoServices.Sections, ("Sandbox", typeof(SandboxOptions))]).Problems.Select(p => p.Message);
        });

        Assert.That(files, Is.Not.Empty);
        Assert.That(problems, Is.Empty);
    }

    private static SettingsCheck.Result Check(Dictionary<string, string?> values) =>
        SettingsCheck.Apply(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), BatchVideoServices.Sections);
}

[TestFixture]
public sealed class EnvironmentSettingTests
{
    [Test]
    public void A_name_bash_refuses_is_set_with_env_for_one_command()
    {
        Assert.That(EnvironmentSetting.HowToSet("HeyGen:WebhookSecret"), Is.EqualTo("export HeyGen__WebhookSecret='<value>'"));
        Assert.That(EnvironmentSetting.HowToSet("Campaigns:crm-nightly:Source:ConnectionString"), Is.EqualTo("env 'Campaigns__crm-nightly__Source__ConnectionString=<value>' batchvideo …"));
        Assert.That(EnvironmentSetting.ShellAccepts("Campaigns__crm-nightly__Source"), Is.False);
    }

    [Test]
    [Category("Integration")]
    public void The_documented_env_form_reaches_the_configuration_from_bash()
    {
        // What docs/configuration.md tells an operator to type, run by bash as written.
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["-c", "env 'Campaigns__crm-nightly__Source__ConnectionString=Data Source=x.db' printenv Campaigns__crm-nightly__Source__ConnectionString"])
        {
            RedirectStandardOutput = true,
        };
        using var bash = System.Diagnostics.Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();

        Assert.That(output.Trim(), Is.EqualTo("Data Source=x.db"));
    }
}

[TestFixture]
[Category("Integration")]
public sealed class ServeSectionTests
{
    [Test]
    public async Task A_misspelled_serve_key_stops_with_exit_2()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Serve"] = new System.Text.Json.Nodes.JsonObject { ["AdminTokn"] = "0123456789abcdef0123" });
        harness.WriteCsv(1);

        var result = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--offline", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Serve:AdminTokn").And.Contain("did you mean `AdminToken`?"));
    }
}
