using BatchVideo.Campaigns;
using BatchVideo.HeyGen;
using BatchVideo.Settings;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Tests.Settings;

[TestFixture]
public sealed class SettingsCheckTests
{
    [Test]
    public void A_value_that_does_not_convert_is_reported_and_hidden_so_the_rest_binds_with_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HeyGen:MaxConcurrency"] = "lots",
            ["HeyGen:MaxRetries"] = "3",
            ["Campaigns:welcome:WordsPerMinute"] = "fast",
            ["Campaigns:welcome:AvatarId"] = "anna",
        }).Build();

        var check = SettingsCheck.Apply(configuration, BatchVideoServices.Sections);

        Assert.That(check.Problems.Select(p => p.Path), Is.EquivalentTo(new[] { "HeyGen:MaxConcurrency", "Campaigns:welcome:WordsPerMinute" }));
        var heyGen = check.Configuration.GetSection("HeyGen").Get<HeyGenOptions>()!;
        Assert.That((heyGen.MaxConcurrency, heyGen.MaxRetries), Is.EqualTo((new HeyGenOptions().MaxConcurrency, 3)));
        var campaign = check.Configuration.Get<BatchVideoOptions>()!.Campaigns["welcome"];
        Assert.That((campaign.WordsPerMinute, campaign.AvatarId), Is.EqualTo((150d, "anna")));
        Assert.That(SettingsCheck.Apply(check.Configuration, BatchVideoServices.Sections).Problems, Is.EqualTo(check.Problems), "checking twice finds the same, once");
    }

    [Test]
    public void Lists_and_enums_are_checked_element_by_element()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Numbers:0"] = "1",
            ["Numbers:1"] = "two",
            ["Day"] = "Someday",
        }).Build();

        var check = SettingsCheck.Apply(configuration, [("", typeof(Sample))]);

        Assert.That(check.Problems.Select(p => p.Message), Is.EqualTo(new[]
        {
            "Numbers:1 is 'two' (set by the command line), which is not a whole number.",
            "Day is 'Someday' (set by the command line), which is not one of Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday.",
        }));
    }

    private sealed class Sample
    {
        public List<int> Numbers { get; set; } = [];

        public DayOfWeek Day { get; set; }
    }
}
