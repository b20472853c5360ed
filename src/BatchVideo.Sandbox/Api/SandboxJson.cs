using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BatchVideo.Sandbox.Catalog;
using BatchVideo.Sandbox.Videos;

namespace BatchVideo.Sandbox.Api;

/// <summary>
/// Source-generated serializers for every answer. Snake-case names are HeyGen's wire format; nulls are
/// written (the documented schemas mark the optional fields as "default null") except where a type opts out.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(DataEnvelope<CreatedVideo>))]
[JsonSerializable(typeof(DataEnvelope<CreatedAgentSession>))]
[JsonSerializable(typeof(DataEnvelope<VideoDetail>))]
[JsonSerializable(typeof(ListPage<VideoDetail>))]
[JsonSerializable(typeof(DataEnvelope<AvatarLook>))]
[JsonSerializable(typeof(ListPage<AvatarLook>))]
[JsonSerializable(typeof(DataEnvelope<VoiceItem>))]
[JsonSerializable(typeof(ListPage<VoiceItem>))]
[JsonSerializable(typeof(DataEnvelope<UserInfo>))]
[JsonSerializable(typeof(DataEnvelope<Webhooks.WebhookEndpointResponse>))]
[JsonSerializable(typeof(ListPage<Webhooks.WebhookEndpointResponse>))]
[JsonSerializable(typeof(DataEnvelope<Webhooks.RotateSecretResponse>))]
[JsonSerializable(typeof(DataEnvelope<Webhooks.DeletedEndpoint>))]
[JsonSerializable(typeof(ListPage<Webhooks.WebhookEventTypeItem>))]
[JsonSerializable(typeof(ListPage<Webhooks.WebhookEventResponse>))]
[JsonSerializable(typeof(ListPage<Templates.TemplateSummaryItem>))]
internal sealed partial class SandboxJson : JsonSerializerContext
{
    /// <summary>
    /// The context to serialize with. The relaxed encoder keeps '&amp;' in signed URLs and quotes in
    /// messages readable (the default escapes them as \u0026, valid but hard on a human reading a log);
    /// the answers are JSON bodies, never embedded in HTML, so the HTML-safety escaping buys nothing.
    /// </summary>
    public static SandboxJson Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
