using BatchVideo.Cli;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>Every setting of <see cref="SandboxOptions"/> binds from the Sandbox section (one bind, not a copy per field).</summary>
[TestFixture]
public sealed class SandboxSettingsTests
{
    [Test]
    public void The_sandbox_section_sets_every_switch_the_docs_advertise()
    {
        using var folder = new TempFolder();
        var path = folder.Write("appsettings.json", """
            {
              "Sandbox": {
                "SuccessWebhookFields": "ObservedWithPageUrl",
                "IdempotencyReplaysErrors": true,
                "NotFoundAfterCreate": "00:00:00",
                "LookStatuses": { "sandbox_avatar_ben": "processing" },
                "UsdPerSecond": { "avatar_iv/1080p": 0.1 },
                "UsdPerVideo": { "cinematic_avatar": 8 },
                "AgentHonoursIdempotencyKey": true,
                "AgentVideoIdAfter": "00:00:02",
                "PageRequiresLogin": false,
                "CaptionLag": "00:00:00",
                "AvatarIds": [ "look_a" ],
                "LookEngines": { "look_a": [ "avatar_iii" ] },
                "DropAnswerToCreates": [ 3 ],
                "WebhookMaxRetryDelay": "00:10:00"
              }
            }
            """);

        var options = SandboxCommand.LoadOptions(path);

        Assert.That(options.SuccessWebhookFields, Is.EqualTo(SuccessWebhookFields.ObservedWithPageUrl));
        Assert.That((options.IdempotencyReplaysErrors, options.NotFoundAfterCreate, options.AgentHonoursIdempotencyKey, options.PageRequiresLogin), Is.EqualTo((true, TimeSpan.Zero, true, false)));
        Assert.That(options.LookStatuses["sandbox_avatar_ben"], Is.EqualTo("processing"));
        Assert.That(options.UsdPerSecond["avatar_iv/1080p"], Is.EqualTo(0.1));
        Assert.That(options.UsdPerSecond["avatar_iii/720p"], Is.EqualTo(0.0167), "a table is merged key by key");
        Assert.That(options.UsdPerVideo["cinematic_avatar"], Is.EqualTo(8));
        Assert.That((options.AgentVideoIdAfter, options.CaptionLag), Is.EqualTo((TimeSpan.FromSeconds(2), TimeSpan.Zero)));
        Assert.That(options.AvatarIds, Is.EqualTo(new[] { "look_a" }), "a list replaces the default one");
        Assert.That(options.LookEngines["look_a"], Is.EqualTo(new[] { "avatar_iii" }));
        Assert.That(options.DropAnswerToCreates, Is.EqualTo(new[] { 3 }));
        Assert.That(options.WebhookMaxRetryDelay, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(options.RenderJitter, Is.EqualTo(0.2), "the command's own defaults stay where the section is silent");
    }

    [Test]
    public void The_sandbox_defaults_take_the_reading_that_hurts_a_client_where_HeyGen_is_silent()
    {
        var options = new SandboxOptions();

        Assert.That((options.AgentHonoursIdempotencyKey, options.PageRequiresLogin, options.SuccessWebhookFields), Is.EqualTo((false, true, SuccessWebhookFields.Documented)));
        Assert.That(options.CaptionLag, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(options.LookEngines.Values, Has.Some.Not.Contains("avatar_iv"), "a look without HeyGen's default engine");
    }
}
