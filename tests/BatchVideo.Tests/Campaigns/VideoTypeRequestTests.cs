using BatchVideo.Campaigns;
using BatchVideo.Scripts;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// The exact request each video type sends (the body <c>preview</c> shows and the run posts), and the start-up
/// validation that says what a type needs and refuses what it cannot take.
/// </summary>
[TestFixture]
public sealed class VideoTypeRequestTests
{
    private static readonly string Marker = RecipientIdentity.Marker("welcome", "C-1");

    [Test]
    public void Avatar_request_is_unchanged_by_the_types()
    {
        var create = Build(new CampaignOptions { AvatarId = "look_1", VoiceId = "voice_1" }, new Uri("https://hooks.example/heygen"));

        Assert.That(create.Route, Is.EqualTo("v3/videos"));
        Assert.That(create.Body, Is.EqualTo(
            $$"""{"type":"avatar","avatar_id":"look_1","voice_id":"voice_1","script":"Hi Ada!","title":"Welcome Ada [{{Marker}}]","aspect_ratio":"16:9","resolution":"1080p","callback_url":"https://hooks.example/heygen","callback_id":"{{Marker}}"}"""));
    }

    [Test]
    public void Agent_request_sends_the_prompt_and_only_the_settings_that_are_set()
    {
        var create = Build(new CampaignOptions { Type = VideoTypes.VideoAgent, Orientation = "portrait" }, null);

        Assert.That(create.Route, Is.EqualTo("v3/video-agents"));
        Assert.That(create.Body, Is.EqualTo($$"""{"prompt":"Hi Ada!","orientation":"portrait","callback_id":"{{Marker}}"}"""));
        Assert.That(create.Title, Is.Null, "the agent request has no title");
    }

    [Test]
    public void Agent_request_with_every_option_set()
    {
        var create = Build(new CampaignOptions { Type = VideoTypes.VideoAgent, AvatarId = "look_1", VoiceId = "voice_1", StyleId = "style_9", Orientation = "landscape" }, new Uri("https://hooks.example/heygen"));

        Assert.That(create.Body, Is.EqualTo(
            $$"""{"prompt":"Hi Ada!","avatar_id":"look_1","voice_id":"voice_1","style_id":"style_9","orientation":"landscape","callback_url":"https://hooks.example/heygen","callback_id":"{{Marker}}"}"""));
    }

    [Test]
    public void Cinematic_request_sends_its_looks_as_the_avatar_id_array_and_no_voice()
    {
        var create = Build(new CampaignOptions { Type = VideoTypes.CinematicAvatar, AvatarIds = ["look_1", "look_2"], Duration = 8, Resolution = "720p", AspectRatio = "9:16" }, new Uri("https://hooks.example/heygen"));

        Assert.That(create.Route, Is.EqualTo("v3/videos"));
        Assert.That(create.Body, Is.EqualTo(
            $$"""{"type":"cinematic_avatar","prompt":"Hi Ada!","avatar_id":["look_1","look_2"],"duration":8,"aspect_ratio":"9:16","resolution":"720p","title":"Welcome Ada [{{Marker}}]"}"""));
    }

    [Test]
    public void Idempotency_keys_differ_by_type_for_the_same_recipient()
    {
        var keys = VideoTypes.All.Select(type => RecipientIdentity.IdempotencyKey("welcome", "C-1", 1, type)).ToList();

        Assert.That(keys, Is.Unique);
        Assert.That(keys[0], Is.EqualTo(RecipientIdentity.IdempotencyKey("welcome", "C-1", 1)), "avatar keys keep the form ledgers already hold");
        Assert.That(RecipientIdentity.FollowingKey(keys[1]), Is.EqualTo(RecipientIdentity.IdempotencyKey("welcome", "C-1", 2, VideoTypes.VideoAgent)));
    }

    [Test]
    public void Estimated_length_follows_the_type()
    {
        Assert.That(VideoRequests.MinutesOf(new CampaignOptions { Type = VideoTypes.CinematicAvatar, Duration = 12 }, "any prompt"), Is.EqualTo(0.2).Within(1e-9));
        Assert.That(VideoRequests.MinutesOf(new CampaignOptions { Type = VideoTypes.CinematicAvatar }, "any prompt"), Is.EqualTo(10 / 60.0).Within(1e-9), "HeyGen's default 10 s");
        Assert.That(VideoRequests.MinutesOf(new CampaignOptions { Type = VideoTypes.VideoAgent, ExpectedSeconds = 90 }, "any prompt"), Is.EqualTo(1.5).Within(1e-9));
    }

    [Test]
    public void Prices_sit_under_the_type_in_the_account_unit()
    {
        var pricing = new PricingOptions();

        Assert.That(VideoPrice.PerMinute(new CampaignOptions { Type = VideoTypes.VideoAgent }, pricing, "usd"), Is.EqualTo(0.0333 * 60).Within(1e-9));
        Assert.That(VideoPrice.Of(new CampaignOptions { Type = VideoTypes.CinematicAvatar, Resolution = "720p" }, pricing, "usd"), Is.EqualTo(new VideoRate(0, 7.00)), "flat per video");
        Assert.That(VideoPrice.MissingPriceSetting(new CampaignOptions { Engine = "avatar_iv", Resolution = "8k" }), Is.EqualTo("Pricing:UsdPerSecond:avatar_iv:8k"));
        Assert.That(VideoPrice.PerMinute(new CampaignOptions { Type = VideoTypes.VideoAgent, CreditsPerMinute = 3 }, pricing, "credits"), Is.EqualTo(3));
    }

    [TestCase("avatar_iv", null, 0.0667)]
    [TestCase("avatar_v", null, 0.0667)]
    [TestCase("avatar_iii", null, 0.0167)]
    [TestCase("avatar_iii", "photo_avatar", 0.0433)]
    [TestCase("avatar_iv", "photo_avatar", 0.0667)]
    public void Engines_are_priced_as_published_and_never_low(string engine, string? avatarType, double usdPerSecond) =>
        Assert.That(
            VideoPrice.Of(new CampaignOptions { Engine = engine, Resolution = "1080p" }, new PricingOptions(), "usd", avatarType)!.PerMinute,
            Is.EqualTo(usdPerSecond * 60).Within(1e-9));

    [Test]
    public void A_flat_price_per_video_is_added_once_per_video() =>
        Assert.That(new VideoEstimate(10, 0, 150, 0) { SetMinutes = 1, PricePerVideo = 7.00, Unit = "usd" }.Credits, Is.EqualTo(70.0).Within(1e-9));

    [TestCase("avatar", "AvatarId is missing")]
    [TestCase("avatar", "VoiceId is missing")]
    [TestCase("cinematic_avatar", "AvatarIds must name 1 to 3 avatar looks")]
    public void A_type_says_what_it_needs(string type, string expected)
    {
        Assert.That(Errors(new CampaignOptions { Type = type }), Has.Some.Contains(expected));
    }

    [Test]
    public void Agent_needs_nothing_beyond_its_template()
    {
        Assert.That(Errors(new CampaignOptions { Type = VideoTypes.VideoAgent }), Is.Empty);
    }

    [Test]
    public void Cinematic_refuses_what_it_cannot_take()
    {
        var errors = Errors(new CampaignOptions
        {
            Type = VideoTypes.CinematicAvatar,
            AvatarIds = ["a", "b", "c", "d"],
            Duration = 16,
            AspectRatio = "4:5",
            Resolution = "4k",
            VoiceId = "voice_1",
            AvatarId = "look_1",
            Engine = "avatar_iv",
            StyleId = "style",
        });

        Assert.That(errors, Has.Some.Contains("AvatarIds must name 1 to 3").And.Some.Contains("Duration 16 is not 4 to 15 seconds")
            .And.Some.Contains("AspectRatio '4:5'").And.Some.Contains("Resolution '4k'").And.Some.Contains("VoiceId cannot be used with cinematic_avatar")
            .And.Some.Contains("AvatarId is for avatar and video_agent").And.Some.Contains("Engine cannot be used").And.Some.Contains("StyleId is a Video Agent setting"));
        Assert.That(errors, Has.All.StartWith("Campaigns:c:"));
    }

    [Test]
    public void Agent_refuses_what_it_cannot_take()
    {
        var errors = Errors(new CampaignOptions { Type = VideoTypes.VideoAgent, Orientation = "square", TitleTemplate = "Hi", Duration = 8, AvatarIds = ["a"], Engine = "avatar_v" });

        Assert.That(errors, Has.Some.Contains("Orientation 'square'").And.Some.Contains("TitleTemplate cannot be used with video_agent")
            .And.Some.Contains("Duration is a cinematic_avatar setting").And.Some.Contains("AvatarIds is a cinematic_avatar setting").And.Some.Contains("Engine cannot be used"));
    }

    [Test]
    public void Avatar_refuses_the_prompt_types_settings_and_unknown_types_are_named()
    {
        Assert.That(Errors(new CampaignOptions { AvatarId = "a", VoiceId = "v", StyleId = "s", Duration = 5 }), Has.Some.Contains("StyleId").And.Some.Contains("Duration"));
        Assert.That(Errors(new CampaignOptions { Type = "studio" }), Is.EqualTo(new[] { "Campaigns:c:Type 'studio' is not one of avatar, video_agent, cinematic_avatar, template." }));
    }

    private static List<string> Errors(CampaignOptions campaign)
    {
        var errors = new List<string>();
        VideoTypes.Validate("Campaigns:c", campaign, errors);
        return errors;
    }

    private static BatchVideo.HeyGen.VideoCreate Build(CampaignOptions options, Uri? callback)
    {
        options.TitleTemplate ??= options.Type == VideoTypes.VideoAgent ? null : "Welcome {{ first_name }}";
        var run = new PreparedRun("welcome", options, null!, null!, new RunRequest("welcome", null, null));
        return VideoRequests.Build(run, "C-1", RenderResult.Ok("Hi Ada!", options.TitleTemplate is null ? null : "Welcome Ada"), callback);
    }
}
