using BatchVideo.Links;

namespace BatchVideo.Tests.Links;

/// <summary>The verdict on samples of what a page link can answer, without any network.</summary>
[TestFixture]
public sealed class PageLinkCheckTests
{
    private const string Url = "https://app.heygen.com/video/v1";

    private static PageVerdict Verdict(int status, string body, string? finalUrl = null, string? mediaType = "text/html") =>
        PageLinkCheck.Classify(Url, status, new Uri(finalUrl ?? Url), mediaType, body).Verdict;

    [TestCase("<html><body><video controls src=\"https://files/v1.mp4?sig=1\"></video></body></html>")]
    [TestCase("<html><head><meta property=\"og:video\" content=\"https://cdn/v1\"></head><body><div id=app></div></body></html>")]
    [TestCase("<html><body><script>player.load({\"src\":\"https://cdn/v1.mp4\"})</script></body></html>")]
    [TestCase("<html><body><a href=\"/login\">Log in</a><video src=\"x\"></video></body></html>")]
    public void A_page_with_a_video_plays(string body) =>
        Assert.That(Verdict(200, body), Is.EqualTo(PageVerdict.Plays));

    [Test]
    public void A_link_that_is_the_video_itself_plays() =>
        Assert.That(Verdict(200, "", mediaType: "video/mp4"), Is.EqualTo(PageVerdict.Plays));

    [TestCase(401)]
    [TestCase(403)]
    public void Unauthorized_and_forbidden_ask_for_a_login(int status) =>
        Assert.That(Verdict(status, "<html></html>"), Is.EqualTo(PageVerdict.AsksForLogin));

    [TestCase("https://app.heygen.com/login?redirect=%2Fvideo%2Fv1")]
    [TestCase("https://auth.heygen.com/signin")]
    [TestCase("https://app.heygen.com/sign-in/")]
    public void A_redirect_to_a_sign_in_page_asks_for_a_login(string finalUrl) =>
        Assert.That(Verdict(200, "<html><body><div id=root></div></body></html>", finalUrl), Is.EqualTo(PageVerdict.AsksForLogin));

    [TestCase("<form><input type=\"email\"><input type=\"password\" name=p></form><video></video>")]
    [TestCase("<form><input name=p type=password></form>")]
    [TestCase("<h1>Sign in to HeyGen</h1>")]
    [TestCase("<button>Log in</button>")]
    public void A_page_asking_for_credentials_asks_for_a_login(string body) =>
        Assert.That(Verdict(200, body), Is.EqualTo(PageVerdict.AsksForLogin));

    [TestCase(200, "<html><body><div id=root></div><script src=app.js></script></body></html>")]
    [TestCase(404, "<h1>Not found</h1>")]
    [TestCase(500, "")]
    public void Anything_else_is_unclear_with_its_status(int status, string body)
    {
        var result = PageLinkCheck.Classify(Url, status, new Uri(Url), "text/html", body);

        Assert.That(result.Verdict, Is.EqualTo(PageVerdict.Unclear));
        Assert.That(result.Status, Is.EqualTo(status));
        Assert.That(result.Reason, Does.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task A_link_that_does_not_answer_is_unclear()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var result = await new PageLinkCheck(http).CheckAsync("http://127.0.0.1:9/video/v1", CancellationToken.None);

        Assert.That((result.Verdict, result.Status), Is.EqualTo((PageVerdict.Unclear, (int?)null)));
    }
}
