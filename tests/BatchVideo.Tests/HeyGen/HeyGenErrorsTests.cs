using System.Net;
using BatchVideo.HeyGen;

namespace BatchVideo.Tests.HeyGen;

[TestFixture]
public sealed class HeyGenErrorsTests
{
    // The documented codes (docs/heygen-contract.md, "Errors"), one by one, with what the batch must do.
    [TestCase(429, "rate_limit_exceeded", ErrorDisposition.Retry)]
    [TestCase(409, "request_in_progress", ErrorDisposition.Retry)]
    [TestCase(500, "internal_error", ErrorDisposition.Retry)]
    [TestCase(400, "invalid_parameter", ErrorDisposition.FailRow)]
    [TestCase(400, "download_failed", ErrorDisposition.FailRow)]
    [TestCase(404, "asset_not_found", ErrorDisposition.FailRow)]
    [TestCase(404, "video_not_found", ErrorDisposition.FailRow)]
    [TestCase(404, "not_found", ErrorDisposition.FailRow)]
    [TestCase(401, "unauthorized", ErrorDisposition.StopBatch)]
    [TestCase(401, "authentication_failed", ErrorDisposition.StopBatch)]
    [TestCase(402, "insufficient_credit", ErrorDisposition.StopBatch)]
    [TestCase(403, "forbidden", ErrorDisposition.StopBatch)]
    [TestCase(403, "resource_access_denied", ErrorDisposition.StopBatch)]
    [TestCase(403, "ai_vendor_access_restricted", ErrorDisposition.StopBatch)]
    [TestCase(404, "avatar_not_found", ErrorDisposition.StopBatch)]
    [TestCase(404, "voice_not_found", ErrorDisposition.StopBatch)]
    [TestCase(400, "voice_not_usable", ErrorDisposition.StopBatch)]
    [TestCase(429, "quota_exceeded", ErrorDisposition.StopBatch)]
    [TestCase(400, "resource_limit_exceeded", ErrorDisposition.StopBatch)]
    [TestCase(400, "resource_limit_reached", ErrorDisposition.StopBatch)]
    [TestCase(400, "trial_video_limit_exceeded", ErrorDisposition.StopBatch)]
    // Codes nobody documented fall back on the status.
    [TestCase(503, null, ErrorDisposition.Retry)]
    [TestCase(408, null, ErrorDisposition.Retry)]
    [TestCase(402, null, ErrorDisposition.StopBatch)]
    [TestCase(403, "something_new", ErrorDisposition.StopBatch)]
    [TestCase(418, "something_new", ErrorDisposition.FailRow)]
    [TestCase(404, null, ErrorDisposition.FailRow)]
    // Only request_in_progress makes a 409 worth retrying (HeyGen's CLI: other conflicts are not).
    [TestCase(409, "conflict", ErrorDisposition.FailRow)]
    [TestCase(409, null, ErrorDisposition.FailRow)]
    public void Each_code_maps_to_what_the_batch_does(int status, string? code, ErrorDisposition expected) =>
        Assert.That(HeyGenErrors.Classify((HttpStatusCode)status, code), Is.EqualTo(expected));

    [Test]
    public void Exception_message_carries_HeyGen_message_and_param()
    {
        var error = new HeyGenApiException(HttpStatusCode.BadRequest, "invalid_parameter", "script is too long", "script");

        Assert.That(error.Message, Is.EqualTo("HeyGen answered 400 invalid_parameter: script is too long (param: script)"));
        Assert.That(error.Disposition, Is.EqualTo(ErrorDisposition.FailRow));
    }

    [Test]
    public void Codes_are_case_insensitive() =>
        Assert.That(HeyGenErrors.Classify(HttpStatusCode.Unauthorized, "UNAUTHORIZED"), Is.EqualTo(ErrorDisposition.StopBatch));

    [Test]
    public void Every_known_code_is_tested_above()
    {
        var tested = typeof(HeyGenErrorsTests).GetMethod(nameof(Each_code_maps_to_what_the_batch_does))!
            .GetCustomAttributes(typeof(TestCaseAttribute), false).Cast<TestCaseAttribute>()
            .Select(t => t.Arguments[1] as string)
            .ToHashSet();

        Assert.That(HeyGenErrors.Known.Select(k => k.Code), Is.SubsetOf(tested));
    }

    [Test]
    public void Known_statuses_agree_with_the_classification()
    {
        foreach (var known in HeyGenErrors.Known)
        {
            Assert.That(HeyGenErrors.Classify((HttpStatusCode)known.Status, known.Code), Is.EqualTo(known.Disposition), known.Code);
        }
    }

    [TestCase("rate_limit_exceeded", true)]
    [TestCase("quota_exceeded", false)]
    public async Task A_429_is_retried_only_when_waiting_can_help(string code, bool transient)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent("{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}", System.Text.Encoding.UTF8, "application/json"),
        };

        Assert.That(await HeyGenErrors.IsTransientAsync(response, CancellationToken.None), Is.EqualTo(transient));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(code), "the body stays readable");
    }

    [TestCase("request_in_progress", true)]
    [TestCase("conflict", false)]
    public async Task Only_a_409_request_in_progress_is_retried(string code, bool retried)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Conflict)
        {
            Content = new StringContent($$$"""{"error":{"code":"{{{code}}}","message":"m"}}""", System.Text.Encoding.UTF8, "application/json"),
        };

        Assert.That(await HeyGenErrors.IsTransientAsync(response, CancellationToken.None), Is.EqualTo(retried));
    }
}
