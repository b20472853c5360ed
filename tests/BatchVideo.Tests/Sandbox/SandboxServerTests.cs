using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Sandbox;

/// <summary>The sandbox over real HTTP on loopback: the same contract the HeyGen client talks to.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class SandboxServerTests
{
    private const string ApiKey = "test-key";
    private const string Avatar = "sandbox_avatar_anna";
    private const string Voice = "sandbox_voice_en_warm";

    // FakeTimeProvider starts in 2000; any fixed instant works, this one reads well in failures.
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Created_video_goes_from_pending_through_processing_to_completed()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time, RenderTime = TimeSpan.FromSeconds(10) });
        using var client = ClientFor(server);

        using var created = await PostVideoAsync(client, AvatarVideo("Hello Anna, welcome aboard.", title: "Welcome Anna"));
        var createdData = await DataAsync(created);
        var id = (string)createdData["video_id"]!;
        time.Advance(server.Options.NotFoundAfterCreate); // past the read-after-write window

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(id, Does.Match("^[0-9a-f]{32}$"));
        Assert.That((string?)createdData["status"], Is.EqualTo("waiting"));
        Assert.That((string?)createdData["output_format"], Is.EqualTo("mp4"));

        var pending = await GetVideoAsync(client, id);
        Assert.That((string?)pending["status"], Is.EqualTo("pending"));
        Assert.That((string?)pending["title"], Is.EqualTo("Welcome Anna"));
        Assert.That((long?)pending["created_at"], Is.EqualTo(Start.ToUnixTimeSeconds()));
        Assert.That(pending["completed_at"], Is.Null);
        Assert.That(pending["video_url"], Is.Null);

        time.Advance(TimeSpan.FromSeconds(2));
        var processing = await GetVideoAsync(client, id);
        Assert.That((string?)processing["status"], Is.EqualTo("processing"));

        time.Advance(TimeSpan.FromSeconds(7));
        var completed = await GetVideoAsync(client, id);
        Assert.That((string?)completed["status"], Is.EqualTo("completed"));
        Assert.That((long?)completed["completed_at"], Is.EqualTo(Start.AddSeconds(10).ToUnixTimeSeconds()));
        Assert.That((string?)completed["video_url"], Does.StartWith($"{server.BaseAddress}files/{id}.mp4?expires="));
        Assert.That((string?)completed["thumbnail_url"], Is.Not.Null);
        Assert.That((double?)completed["duration"], Is.GreaterThan(0));
        Assert.That((string?)completed["video_page_url"], Is.EqualTo($"{server.BaseAddress}video/{id}"));
        Assert.That(completed["failure_code"], Is.Null);
        Assert.That(server.Stats.StatusRequests, Is.EqualTo(3));
    }

    [Test]
    public async Task Script_with_the_fail_marker_ends_as_failed_rendering()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero, NotFoundAfterCreate = TimeSpan.Zero });
        using var client = ClientFor(server);

        var id = await CreateVideoIdAsync(client, AvatarVideo("Hello SANDBOX_FAIL_RENDER"));
        var video = await GetVideoAsync(client, id);

        Assert.That((string?)video["status"], Is.EqualTo("failed"));
        Assert.That((string?)video["failure_code"], Is.EqualTo("rendering_failed"));
        Assert.That((string?)video["failure_message"], Is.Not.Empty);
        Assert.That(video["video_url"], Is.Null);
    }

    [Test]
    public async Task Unknown_video_id_is_404_video_not_found()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var response = await client.GetAsync(new Uri("v3/videos/does-not-exist", UriKind.Relative));
        var error = await ErrorAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((string?)error["code"], Is.EqualTo("video_not_found"));
        Assert.That((string?)error["message"], Is.EqualTo("Video does-not-exist not found"));
    }

    [Test]
    public async Task Missing_or_wrong_api_key_is_401_unauthorized()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { ApiKey = "the-right-key" });
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var wrong = ClientFor(server, apiKey: "a-wrong-key");
        using var right = ClientFor(server, apiKey: "the-right-key");

        using var missing = await PostVideoAsync(anonymous, AvatarVideo("Hi"));
        using var mismatched = await wrong.GetAsync(new Uri("v3/users/me", UriKind.Relative));
        using var accepted = await right.GetAsync(new Uri("v3/users/me", UriKind.Relative));

        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((string?)(await ErrorAsync(missing))["code"], Is.EqualTo("unauthorized"));
        Assert.That(mismatched.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    public async Task Script_over_5000_characters_is_rejected()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var atLimit = await PostVideoAsync(client, AvatarVideo(new string('a', 5000)));
        using var overLimit = await PostVideoAsync(client, AvatarVideo(new string('a', 5001)));
        var error = await ErrorAsync(overLimit);

        Assert.That(atLimit.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(overLimit.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error["code"], Is.EqualTo("invalid_parameter"));
        Assert.That((string?)error["param"], Is.EqualTo("script"));
    }

    [Test]
    public async Task Unsupported_type_is_rejected_on_param_type()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);
        var body = AvatarVideo("Hi");
        body["type"] = "image";

        using var response = await PostVideoAsync(client, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)(await ErrorAsync(response))["param"], Is.EqualTo("type"));
    }

    [Test]
    public async Task Unknown_avatar_or_voice_is_404_naming_what_is_missing()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var badAvatar = await PostVideoAsync(client, AvatarVideo("Hi", avatarId: "ghost_avatar"));
        using var badVoice = await PostVideoAsync(client, AvatarVideo("Hi", voiceId: "ghost_voice"));
        var avatarError = await ErrorAsync(badAvatar);
        var voiceError = await ErrorAsync(badVoice);

        Assert.That(badAvatar.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((string?)avatarError["code"], Is.EqualTo("avatar_not_found"));
        Assert.That((string?)avatarError["message"], Does.Contain("ghost_avatar"));
        Assert.That(badVoice.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((string?)voiceError["code"], Is.EqualTo("voice_not_found"));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    public async Task Requests_beyond_the_rate_limit_get_429_with_retry_after()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time, RequestsPerSecond = 2 });
        using var client = ClientFor(server);
        var me = new Uri("v3/users/me", UriKind.Relative);

        using var first = await client.GetAsync(me);
        using var second = await client.GetAsync(me);
        using var limited = await client.GetAsync(me);
        time.Advance(TimeSpan.FromSeconds(1));
        using var afterRefill = await client.GetAsync(me);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That((string?)(await ErrorAsync(limited))["code"], Is.EqualTo("rate_limit_exceeded"));
        Assert.That(afterRefill.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Stats.RateLimited, Is.EqualTo(1));
    }

    [Test]
    public async Task Create_beyond_the_concurrent_job_limit_gets_429_until_a_job_finishes()
    {
        var time = new FakeTimeProvider(Start);
        var options = new SandboxOptions { TimeProvider = time, MaxConcurrentJobs = 2, RenderTime = TimeSpan.FromSeconds(10) };
        await using var server = await SandboxServer.StartAsync(options);
        using var client = ClientFor(server);

        await CreateVideoIdAsync(client, AvatarVideo("One"));
        await CreateVideoIdAsync(client, AvatarVideo("Two"));
        using var third = await PostVideoAsync(client, AvatarVideo("Three"));
        time.Advance(options.RenderTime);
        using var afterFinish = await PostVideoAsync(client, AvatarVideo("Three again"));

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(third.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That((string?)(await ErrorAsync(third))["code"], Is.EqualTo("rate_limit_exceeded"));
        Assert.That(afterFinish.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(3));
        Assert.That(server.Stats.RateLimited, Is.EqualTo(1));
    }

    [Test]
    public async Task Create_without_credit_is_402_insufficient_credit()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { WalletCurrency = "credits", RemainingCredits = 1, CreditsPerVideo = 1, CreditsPerMinute = 0 });
        using var client = ClientFor(server);

        using var paid = await PostVideoAsync(client, AvatarVideo("One"));
        using var broke = await PostVideoAsync(client, AvatarVideo("Two"));
        var me = await GetDataAsync(client, "v3/users/me");

        Assert.That(paid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(broke.StatusCode, Is.EqualTo((HttpStatusCode)402));
        Assert.That((string?)(await ErrorAsync(broke))["code"], Is.EqualTo("insufficient_credit"));
        Assert.That((double?)me["wallet"]!["remaining_balance"], Is.Zero);
        Assert.That(server.Stats.VideosCreated, Is.EqualTo(1));
    }

    [Test]
    public async Task List_filters_by_title_and_pages_newest_first()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);
        var promoIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            promoIds.Add(await CreateVideoIdAsync(client, AvatarVideo("Promo", title: $"Spring Promo {i}")));
            await CreateVideoIdAsync(client, AvatarVideo("Other", title: $"Renewal {i}"));
        }

        var page1 = await ListAsync(client, "v3/videos?title=spring%20promo&limit=2");
        var page2 = await ListAsync(client, $"v3/videos?title=spring%20promo&limit=2&token={Uri.EscapeDataString((string)page1["next_token"]!)}");
        var page3 = await ListAsync(client, $"v3/videos?title=spring%20promo&limit=2&token={Uri.EscapeDataString((string)page2["next_token"]!)}");

        Assert.That(Ids(page1), Is.EqualTo(new[] { promoIds[4], promoIds[3] }));
        Assert.That((bool?)page1["has_more"], Is.True);
        Assert.That(Ids(page2), Is.EqualTo(new[] { promoIds[2], promoIds[1] }));
        Assert.That(Ids(page3), Is.EqualTo(new[] { promoIds[0] }));
        Assert.That((bool?)page3["has_more"], Is.False);
        Assert.That(page3["next_token"], Is.Null);
    }

    [Test]
    public async Task List_limit_out_of_range_is_400()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var response = await client.GetAsync(new Uri("v3/videos?limit=101", UriKind.Relative));
        var error = await ErrorAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error["message"], Is.EqualTo("'limit' must be between 1 and 100."));
        Assert.That((string?)error["param"], Is.EqualTo("limit"));
    }

    [Test]
    public async Task Injected_server_errors_create_nothing()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { ServerErrorRate = 1 });
        using var client = ClientFor(server);

        for (var i = 0; i < 10; i++)
        {
            using var response = await PostVideoAsync(client, AvatarVideo("Hi"), idempotencyKey: "k-500");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That((string?)(await ErrorAsync(response))["code"], Is.EqualTo("internal_error"));
        }

        Assert.That(server.Stats.CreateRequests, Is.EqualTo(10));
        Assert.That(server.Stats.InjectedFaults, Is.EqualTo(10));
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    public async Task Injected_rate_limit_faults_answer_429_with_retry_after_1()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RateLimitFaultRate = 1 });
        using var client = ClientFor(server);

        using var response = await PostVideoAsync(client, AvatarVideo("Hi"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(server.Stats.InjectedFaults, Is.EqualTo(1));
        Assert.That(server.Stats.RateLimited, Is.Zero);
        Assert.That(server.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    public async Task Seeded_faults_repeat_the_same_outcomes()
    {
        var options = new SandboxOptions { ServerErrorRate = 0.5, Seed = 7 };

        var firstRun = await StatusesOfTwentyCreatesAsync(options);
        var secondRun = await StatusesOfTwentyCreatesAsync(options);

        Assert.That(secondRun, Is.EqualTo(firstRun));
        Assert.That(firstRun, Does.Contain(HttpStatusCode.OK).And.Contain(HttpStatusCode.InternalServerError));
    }

    [Test]
    public async Task Video_file_downloads_whole_and_by_range()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero, NotFoundAfterCreate = TimeSpan.Zero });
        using var client = ClientFor(server);
        var id = await CreateVideoIdAsync(client, AvatarVideo("Download me"));
        var videoUrl = new Uri((string)(await GetVideoAsync(client, id))["video_url"]!);
        using var downloader = new HttpClient();

        var whole = await downloader.GetByteArrayAsync(videoUrl);
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, videoUrl);
        rangeRequest.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await downloader.SendAsync(rangeRequest);
        var slice = await partial.Content.ReadAsByteArrayAsync();

        Assert.That(whole, Has.Length.EqualTo(64 * 1024));
        Assert.That(whole.AsSpan(4, 4).ToArray(), Is.EqualTo("ftyp"u8.ToArray()));
        Assert.That(partial.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(slice, Is.EqualTo(whole.AsSpan(100, 100).ToArray()));
        Assert.That(partial.Content.Headers.ContentRange?.Length, Is.EqualTo(64 * 1024));
    }

    [Test]
    public async Task Expired_or_tampered_file_link_is_403()
    {
        var time = new FakeTimeProvider(Start);
        var options = new SandboxOptions { TimeProvider = time, RenderTime = TimeSpan.Zero, NotFoundAfterCreate = TimeSpan.Zero, SignedUrlLifetime = TimeSpan.FromHours(1) };
        await using var server = await SandboxServer.StartAsync(options);
        using var client = ClientFor(server);
        var id = await CreateVideoIdAsync(client, AvatarVideo("Expire me"));
        var videoUrl = (string)(await GetVideoAsync(client, id))["video_url"]!;
        using var downloader = new HttpClient();

        using var fresh = await downloader.GetAsync(new Uri(videoUrl));
        using var tampered = await downloader.GetAsync(new Uri(videoUrl[..^1] + (videoUrl[^1] == '0' ? '1' : '0')));
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var expired = await downloader.GetAsync(new Uri(videoUrl));
        var refreshedUrl = (string)(await GetVideoAsync(client, id))["video_url"]!;
        using var refreshed = await downloader.GetAsync(new Uri(refreshedUrl));

        Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tampered.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(refreshedUrl, Is.Not.EqualTo(videoUrl));
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Preflight_lookups_find_configured_avatars_and_voices()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = ClientFor(server);

        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };

        var look = await GetDataAsync(client, $"v3/avatars/looks/{Avatar}");
        var voice = await GetDataAsync(client, $"v3/voices/{Voice}");
        using var missingLook = await client.GetAsync(new Uri("v3/avatars/looks/nobody", UriKind.Relative));
        using var missingVoice = await client.GetAsync(new Uri("v3/voices/nobody", UriKind.Relative));
        using var health = await anonymous.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.That((string?)look["id"], Is.EqualTo(Avatar));
        Assert.That((string?)look["avatar_type"], Is.EqualTo("studio_avatar"));
        Assert.That((string?)voice["voice_id"], Is.EqualTo(Voice));
        Assert.That((string?)(await ErrorAsync(missingLook))["code"], Is.EqualTo("avatar_not_found"));
        Assert.That((string?)(await ErrorAsync(missingVoice))["code"], Is.EqualTo("voice_not_found"));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

}
