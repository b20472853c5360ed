using BatchVideo.Pages;
using BatchVideo.Settings;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Tests.Pages;

/// <summary>Recipient pages' settings: checked at start, every problem with its path.</summary>
[TestFixture]
public sealed class PageOptionsTests
{
    [TestCase("https://video.example.com")]
    [TestCase("https://video.example.com/pages/")]
    [TestCase("http://127.0.0.1:5080")]
    [TestCase("http://localhost:5080")]
    public void A_public_https_or_loopback_http_address_is_accepted(string url)
    {
        var result = Validate(new() { ["Pages:PublicBaseUrl"] = url, ["Campaigns:welcome:Pages:Enabled"] = "true" });

        Assert.That(result.Failures ?? [], Is.Empty);
    }

    [TestCase("http://video.example.com", "use https")]
    [TestCase("ftp://video.example.com", "https address")]
    [TestCase("https://video.example.com/?a=1", "without a query")]
    public void Any_other_address_is_refused_with_its_path(string url, string reason)
    {
        var result = Validate(new() { ["Pages:PublicBaseUrl"] = url });

        Assert.That(result.Failures, Has.One.StartsWith($"Pages:PublicBaseUrl is '{url}'").And.Contains(reason));
    }

    [Test]
    public void A_campaign_with_pages_needs_the_public_address_and_sound_templates()
    {
        var result = Validate(new()
        {
            ["Campaigns:welcome:Pages:Enabled"] = "true",
            ["Campaigns:welcome:Pages:Heading"] = "Hi {{ 1 + }}",
            ["Campaigns:welcome:Pages:CtaText"] = "Book a call",
            ["Campaigns:other:Pages:Enabled"] = "false",
        });

        Assert.That(result.Failures, Has.Exactly(3).Items);
        Assert.That(result.Failures, Has.One.StartsWith("Campaigns:welcome:Pages:Enabled is true but Pages:PublicBaseUrl is not set"));
        Assert.That(result.Failures, Has.One.StartsWith("Campaigns:welcome:Pages: CtaText and CtaUrl go together"));
        Assert.That(result.Failures, Has.One.StartsWith("Template syntax error in Campaigns:welcome:Pages:Heading"));
    }

    [Test]
    public void Page_keys_are_known_settings()
    {
        var check = SettingsCheck.Apply(Configuration(new()
        {
            ["Pages:PublicBaseUrl"] = "https://video.example.com",
            ["Pages:PublicBaseUri"] = "https://video.example.com",
            ["Campaigns:welcome:Pages:Enabled"] = "true",
            ["Campaigns:welcome:Pages:CtaTxt"] = "Book",
        }), BatchVideoServices.Sections);

        Assert.That(check.Problems.Select(p => p.Path), Is.EquivalentTo(new[] { "Pages:PublicBaseUri", "Campaigns:welcome:Pages:CtaTxt" }));
    }

    [Test]
    public void A_page_address_is_the_base_then_v_then_the_token()
    {
        var token = PageTokens.New();

        Assert.That(PageLinks.Url(new Uri("https://video.example.com/pages/"), token).AbsoluteUri, Is.EqualTo($"https://video.example.com/pages/v/{token}"));
        Assert.That(PageLinks.Url(new Uri("http://127.0.0.1:5080"), token).AbsoluteUri, Is.EqualTo($"http://127.0.0.1:5080/v/{token}"));
        Assert.That(PageTokens.IsWellFormed(token), Is.True);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(Dictionary<string, string?> values)
    {
        var configuration = Configuration(values);
        var options = configuration.GetSection(PagesOptions.Section).Get<PagesOptions>() ?? new PagesOptions();
        return new PageOptionsValidator(configuration).Validate(null, options);
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
