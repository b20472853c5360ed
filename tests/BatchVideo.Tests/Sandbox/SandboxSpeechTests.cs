using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using BatchVideo.Sandbox.State;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sandbox;

/// <summary>
/// The sandbox's <c>POST /v3/voices/speech</c> over real HTTP: checked against <c>TextToSpeechRequest</c>, a short real
/// audio file served, priced per second against the wallet (and remembered by the account's journal), 429 under load.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SandboxSpeechTests
{
    private const string Voice = "sandbox_voice_en_warm";

    [Test]
    public async Task Speech_answers_a_playable_wav_of_its_length_and_charges_the_wallet_by_the_second()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RemainingCredits = 10 });
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var answer = await client.PostAsJsonAsync("v3/voices/speech", new JsonObject { ["text"] = "Hi Siobhan, welcome to the team today!", ["voice_id"] = Voice, ["speed"] = 1.0, ["locale"] = "en-IE" });
        var data = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["data"]!;
        var seconds = (double)data["duration"]!;
        using var audio = await client.GetAsync((string)data["audio_url"]!);
        var wav = await audio.Content.ReadAsByteArrayAsync();
        var me = (await client.GetFromJsonAsync<JsonObject>("v3/users/me"))!["data"]!;

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)data["request_id"], Does.StartWith("req_"));
        Assert.That(seconds, Is.EqualTo(7 / 2.5).Within(0.01), "seven words at the sandbox's 2.5 words a second");
        Assert.That(audio.Content.Headers.ContentType!.MediaType, Is.EqualTo("audio/wav"));
        Assert.That(System.Text.Encoding.ASCII.GetString(wav, 0, 4) + System.Text.Encoding.ASCII.GetString(wav, 8, 4), Is.EqualTo("RIFFWAVE"));
        Assert.That((wav.Length - 44) / 16_000.0, Is.EqualTo(seconds).Within(0.01), "8 kHz, 16-bit mono: the file lasts as long as the answer says");
        Assert.That((double)me["wallet"]!["remaining_balance"]!, Is.EqualTo(10 - (seconds * 0.000667)).Within(1e-9));
        Assert.That(server.Speeches.Single().Text, Is.EqualTo("Hi Siobhan, welcome to the team today!"));
    }

    [TestCase("""{"text":"Hi","voice_id":"sandbox_voice_en_warm","emotion":"happy"}""", "emotion")]
    [TestCase("""{"text":"Hi"}""", "voice_id")]
    [TestCase("""{"text":"","voice_id":"sandbox_voice_en_warm"}""", "text")]
    [TestCase("""{"text":"Hi","voice_id":"sandbox_voice_en_warm","speed":2.5}""", "speed")]
    public async Task A_body_outside_TextToSpeechRequest_is_refused_as_invalid_parameter(string body, string param)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var answer = await client.PostAsync("v3/voices/speech", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var error = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)error["code"], Is.EqualTo("invalid_parameter"));
        Assert.That((string?)error["param"] ?? (string?)error["message"], Does.Contain(param));
        Assert.That(server.Speeches, Is.Empty);
    }

    [Test]
    public async Task An_unknown_voice_is_404_and_an_empty_wallet_402_with_nothing_charged()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RemainingCredits = 0.0001 });
        using var client = SandboxCreateBodyTests.ClientFor(server);

        using var unknown = await client.PostAsJsonAsync("v3/voices/speech", new JsonObject { ["text"] = "Hi Ann", ["voice_id"] = "no_such_voice" });
        using var poor = await client.PostAsJsonAsync("v3/voices/speech", new JsonObject { ["text"] = "Hi Ann, welcome aboard.", ["voice_id"] = Voice });
        var me = (await client.GetFromJsonAsync<JsonObject>("v3/users/me"))!["data"]!;

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(poor.StatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));
        Assert.That((double)me["wallet"]!["remaining_balance"]!, Is.EqualTo(0.0001).Within(1e-12));
    }

    [Test]
    public async Task Speech_is_rate_limited_like_every_route()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { RequestsPerSecond = 2 });
        using var client = SandboxCreateBodyTests.ClientFor(server);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            client.PostAsJsonAsync("v3/voices/speech", new JsonObject { ["text"] = $"Hi {i}", ["voice_id"] = Voice })));

        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests), Is.GreaterThan(0));
        Assert.That(answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).Select(a => a.Headers.RetryAfter), Has.All.Not.Null);
        Assert.That(server.Speeches, Has.Count.EqualTo(answers.Count(a => a.StatusCode == HttpStatusCode.OK)), "a refused request makes no speech");
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Test]
    public async Task The_account_remembers_what_speech_cost_across_processes()
    {
        using var folder = new TempFolder();
        var path = folder.File("account.jsonl");
        double afterSpeech;
        using (var journal = SandboxJournal.Open(path))
        {
            await using var server = await SandboxServer.StartAsync(new SandboxOptions { RemainingCredits = 5 }, 0, journal);
            using var client = SandboxCreateBodyTests.ClientFor(server);
            using var answer = await client.PostAsJsonAsync("v3/voices/speech", new JsonObject { ["text"] = "Hi Ann, welcome aboard.", ["voice_id"] = Voice });
            afterSpeech = (double)(await client.GetFromJsonAsync<JsonObject>("v3/users/me"))!["data"]!["wallet"]!["remaining_balance"]!;
        }

        using var reopened = SandboxJournal.Open(path);
        await using var again = await SandboxServer.StartAsync(new SandboxOptions { RemainingCredits = 5 }, 0, reopened);
        using var next = SandboxCreateBodyTests.ClientFor(again);
        var remembered = (double)(await next.GetFromJsonAsync<JsonObject>("v3/users/me"))!["data"]!["wallet"]!["remaining_balance"]!;

        Assert.That(afterSpeech, Is.LessThan(5));
        Assert.That(remembered, Is.EqualTo(afterSpeech).Within(1e-12));
    }
}
