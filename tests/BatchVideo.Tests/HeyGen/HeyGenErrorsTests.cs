using System.Net;
using BatchVideo.HeyGen;

namespace BatchVideo.Tests.HeyGen;

[TestFixture]
public sealed class HeyGenErrorsTests
{
    [TestCase(429, "rate_limit_exceeded", ErrorDisposition.Retry)]
    [TestCase(409, "request_in_progress", ErrorDisposition.Retry)]
    [TestCase(500, "internal_error", ErrorDisposition.Retry)]
    [TestCase(503, null, ErrorDisposition.Retry)]
    [TestCase(400, "invalid_parameter", ErrorDisposition.FailRow)]
    [TestCase(400, "download_failed", ErrorDisposition.FailRow)]
    [TestCase(401, "unauthorized", ErrorDisposition.StopBatch)]
    [TestCase(401, "authentication_failed", ErrorDisposition.StopBatch)]
    [TestCase(402, "insufficient_credit", ErrorDisposition.StopBatch)]
    [TestCase(403, "forbidden", ErrorDisposition.StopBatch)]
    [TestCase(404, "avatar_not_found", ErrorDisposition.StopBatch)]
    [TestCase(404, "voice_not_found", ErrorDisposition.StopBatch)]
    [TestCase(429, "quota_exceeded", ErrorDisposition.StopBatch)]
    [TestCase(400, "resource_limit_exceeded", ErrorDisposition.StopBatch)]
    [TestCase(418, "something_new", ErrorDisposition.FailRow)]
    [TestCase(402, null, ErrorDisposition.StopBatch)]
    public void Each_code_maps_to_what_the_batch_does(int status, string? code, ErrorDisposition expected) =>
        Assert.That(HeyGenErrors.Classify((HttpStatusCode)status, code), Is.EqualTo(expected));

    [Test]
    public void Exception_message_carries_HeyGen_message_and_param()
    {
        var error = new HeyGenApiException(HttpStatusCode.BadRequest, "invalid_parameter", "script is too long", "script");

        Assert.That(error.Message, Is.EqualTo("HeyGen answered 400 invalid_parameter: script is too long (param: script)"));
        Assert.That(error.Disposition, Is.EqualTo(ErrorDisposition.FailRow));
    }
}
