using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Catalog;
using BatchVideo.Sandbox.Videos;

namespace BatchVideo.Sandbox.Speech;

/// <summary>
/// <c>POST /v3/voices/speech</c> (createSpeechV3): the body is checked against <c>TextToSpeechRequest</c> of the OpenAPI
/// document (schema <c>text-to-speech.json</c>), the voice against the catalogue, the price (per second of audio) against
/// the wallet; the answer is <c>TextToSpeechResponseData</c> with the URL of a short, real WAV file this server serves at
/// <c>/files/speech/{id}-{ms}.wav</c>. The gate has authenticated it and applied the request rate (429 under load).
/// </summary>
internal sealed class SpeechEndpoints(SandboxOptions options, VideoStore store, SandboxCatalog catalog)
{
    private static readonly RequestSchema Schema = RequestSchema.TextToSpeech;
    private readonly ConcurrentQueue<SandboxSpeech> made = new();

    /// <summary>Every speech made so far, oldest first.</summary>
    public IReadOnlyList<SandboxSpeech> Made => [.. made];

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v3/voices/speech", new RequestDelegate(SynthesizeAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/files/speech/{name}", new RequestDelegate(ServeAsync)).WithMetadata(RouteTag.File);
    }

    private async Task SynthesizeAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            await ApiResponses.WriteErrorAsync(context, ApiError.InvalidParameter("Content-Type must be application/json."));
            return;
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            await ApiResponses.WriteErrorAsync(context, ApiError.InvalidParameter($"The body is not JSON: {e.Message}"));
            return;
        }

        if (Schema.Check(body) is { } invalid)
        {
            await ApiResponses.WriteErrorAsync(context, invalid);
            return;
        }

        var text = body.GetProperty("text").GetString()!;
        var voiceId = body.GetProperty("voice_id").GetString()!;
        if (!catalog.TryGetVoice(voiceId, out _))
        {
            await ApiResponses.WriteErrorAsync(context, ApiError.NotFound("voice_not_found", $"Voice {voiceId} not found.", "voice_id"));
            return;
        }

        var speed = body.TryGetProperty("speed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 1.0;
        var seconds = Math.Round(Math.Max(1, VideoLifecycle.EstimateDuration(text)) / speed, 2);
        var cost = seconds * (options.WalletCurrency == "usd" ? options.SpeechUsdPerSecond : options.SpeechCreditsPerSecond ?? options.CreditsPerMinute / 60);
        if (!store.TryCharge(cost, out var remaining))
        {
            await ApiResponses.WriteErrorAsync(context, ApiError.InsufficientCredit with
            {
                Message = string.Create(CultureInfo.InvariantCulture, $"Your account has {remaining:0.######} {options.WalletCurrency} but this speech requires {cost:0.######}."),
            });
            return;
        }

        var id = Guid.NewGuid().ToString("N");
        var file = string.Create(CultureInfo.InvariantCulture, $"{id}-{(int)(seconds * 1000)}.wav");
        var url = $"{context.Request.Scheme}://{context.Request.Host}/files/speech/{file}";
        made.Enqueue(new SandboxSpeech(text, voiceId, seconds, cost));
        var answer = new SpeechEnvelope(new SpeechData(url, seconds, "req_" + id, WordTimestamps: null));
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, answer, SpeechWire.Default.SpeechEnvelope);
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var dash = name.LastIndexOf('-');
        if (!name.EndsWith(".wav", StringComparison.Ordinal) || dash < 1
            || !int.TryParse(name.AsSpan(dash + 1, name.Length - dash - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var wav = WaveAudio.Make(name[..dash], milliseconds);
        context.Response.ContentType = "audio/wav";
        context.Response.ContentLength = wav.Length;
        await context.Response.Body.WriteAsync(wav, context.RequestAborted);
    }
}

/// <summary>One speech the sandbox made: its text, voice, seconds and what the wallet paid.</summary>
public sealed record SandboxSpeech(string Text, string VoiceId, double Seconds, double Cost);

internal sealed record SpeechEnvelope(SpeechData Data);

/// <summary>TextToSpeechResponseData.</summary>
internal sealed record SpeechData(string AudioUrl, double Duration, string? RequestId, IReadOnlyList<JsonElement>? WordTimestamps);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SpeechEnvelope))]
internal sealed partial class SpeechWire : JsonSerializerContext;
