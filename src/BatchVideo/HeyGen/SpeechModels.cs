using System.Text.Json.Serialization;

namespace BatchVideo.HeyGen;

/// <summary>
/// <c>POST /v3/voices/speech</c> (operationId <c>createSpeechV3</c>, schema <c>TextToSpeechRequest</c> of HeyGen's
/// OpenAPI document of 2026-04-08; <c>additionalProperties: false</c>): speech alone, in one of the account's voices,
/// synthesized at once (no job, so no render slot). Fields left null are left out, so HeyGen's defaults apply
/// (<c>input_type</c> <c>text</c>, <c>speed</c> 1.0, language detected from the text).
/// </summary>
/// <param name="Text">1 to 5,000 characters (<c>text</c>: minLength 1, maxLength 5000).</param>
/// <param name="VoiceId">A Starfish-compatible voice (<c>GET /v3/voices?engine=starfish</c> lists them).</param>
public sealed record SpeechRequest(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("voice_id")] string VoiceId)
{
    /// <summary>The route, relative to HeyGen's base URL.</summary>
    public const string Route = "v3/voices/speech";

    /// <summary><c>text</c>'s maxLength.</summary>
    public const int MaxText = 5000;

    /// <summary>Speed multiplier, 0.5 to 2.0 (<c>speed</c>: minimum 0.5, maximum 2.0, default 1.0).</summary>
    [JsonPropertyName("speed")]
    public double? Speed { get; init; }

    /// <summary>BCP-47 locale (<c>en-US</c>); when set, HeyGen infers the language from it.</summary>
    [JsonPropertyName("locale")]
    public string? Locale { get; init; }
}

/// <summary>
/// <c>TextToSpeechResponseData</c>: where the audio is and how long it lasts (seconds, as billed: the pricing page
/// bills text-to-speech by the second of output).
/// </summary>
public sealed record SpeechAudio(
    [property: JsonPropertyName("audio_url")] string AudioUrl,
    [property: JsonPropertyName("duration")] double Duration,
    [property: JsonPropertyName("request_id")] string? RequestId);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpeechRequest))]
[JsonSerializable(typeof(DataEnvelope<SpeechAudio>))]
internal sealed partial class SpeechJson : JsonSerializerContext;
