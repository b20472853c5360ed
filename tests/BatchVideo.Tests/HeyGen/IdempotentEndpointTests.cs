using System.Net;
using BatchVideo.HeyGen;
using Microsoft.Extensions.DependencyInjection;

namespace BatchVideo.Tests.HeyGen;

/// <summary>
/// The resilience pipeline repeats a create only where HeyGen documents the Idempotency-Key (HeyGen:IdempotentEndpoints):
/// elsewhere a create that may have reached HeyGen goes once.
/// </summary>
[TestFixture]
public sealed class IdempotentEndpointTests
{
    /// <summary>Answers every request with <paramref name="status"/> (Retry-After 0), or throws <paramref name="failure"/>; counts them.</summary>
    private sealed class Stand(HttpStatusCode status, Exception? failure = null, string code = "internal_error") : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            if (failure is not null)
            {
                throw failure;
            }

            var response = new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent("{\"error\":{\"code\":\"" + code + "\",\"message\":\"boom\"}}") };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return Task.FromResult(response);
        }
    }

    private static async Task<int> SendCreateAsync(string route, Stand stand, IReadOnlyList<string>? trusted = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<HeyGenOptions>().Configure(o =>
        {
            o.BaseUrl = new Uri("http://heygen.invalid/");
            o.ApiKey = "k";
            o.MaxRetries = 3;
            o.RequestsPerSecond = 1000;
            o.IdempotentEndpoints = trusted;
        });
        services.AddHeyGenClient();
        services.AddHttpClient<HeyGenClient>().ConfigurePrimaryHttpMessageHandler(() => stand);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<HeyGenClient>();
        var create = new VideoCreate(route, "video_agent", new object(), "{}", "prompt", null);
        Assert.That(async () => await client.CreateAsync(create, "bv-1-agent-a1", CancellationToken.None), Throws.Exception);
        return stand.Requests;
    }

    [Test]
    public async Task A_5xx_after_an_agent_create_is_not_retried() =>
        Assert.That(await SendCreateAsync(VideoCreate.VideoAgentsRoute, new Stand(HttpStatusCode.InternalServerError)), Is.EqualTo(1));

    [Test]
    public async Task A_5xx_after_a_video_create_is_retried_with_its_key() =>
        Assert.That(await SendCreateAsync(VideoCreate.VideosRoute, new Stand(HttpStatusCode.InternalServerError)), Is.EqualTo(4));

    [Test]
    public async Task A_5xx_after_a_template_generate_is_retried_with_its_key() =>
        Assert.That(await SendCreateAsync(VideoCreate.TemplatesRoute + "/tpl_1", new Stand(HttpStatusCode.InternalServerError)), Is.EqualTo(4));

    [Test]
    public async Task A_job_cap_429_after_a_template_generate_is_handed_back_for_a_render_slot() =>
        Assert.That(
            await SendCreateAsync(VideoCreate.TemplatesRoute + "/tpl_1", new Stand(HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded")),
            Is.EqualTo(1));

    [Test]
    public async Task A_job_cap_429_after_a_video_create_is_handed_back_for_a_render_slot() =>
        Assert.That(await SendCreateAsync(VideoCreate.VideosRoute, new Stand(HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded")), Is.EqualTo(1));

    [Test]
    public async Task An_agent_create_is_retried_once_the_operator_trusts_its_key() =>
        Assert.That(await SendCreateAsync(VideoCreate.VideoAgentsRoute, new Stand(HttpStatusCode.BadGateway), ["/v3/videos", "/v3/video-agents"]), Is.EqualTo(4));

    [Test]
    public async Task A_broken_connection_after_sending_an_agent_create_is_not_retried() =>
        Assert.That(
            await SendCreateAsync(VideoCreate.VideoAgentsRoute, new Stand(HttpStatusCode.OK, new HttpRequestException(HttpRequestError.ResponseEnded, "cut"))),
            Is.EqualTo(1));

    [Test]
    public async Task A_refused_connection_never_sent_the_agent_create_so_it_is_retried() =>
        Assert.That(
            await SendCreateAsync(VideoCreate.VideoAgentsRoute, new Stand(HttpStatusCode.OK, new HttpRequestException(HttpRequestError.ConnectionError, "refused"))),
            Is.EqualTo(4));

    [TestCase("/v3/videos", true)]
    [TestCase("/base/v3/videos", true)]
    [TestCase("/v3/video-agents", false)]
    [TestCase("/v3/webhooks/endpoints/ep_1/rotate-secret", true)]
    [TestCase("/v3/webhooks/endpoints", false)]
    [TestCase("/v3/templates/tpl_1", true)]
    [TestCase("/v3/templates", false)]
    public void Documented_endpoints_are_trusted_and_no_others(string path, bool trusted) =>
        Assert.That(IdempotentEndpoints.Trusts(IdempotentEndpoints.Documented, path), Is.EqualTo(trusted));
}
