using System.Text.Json;
using BatchVideo.HeyGen;
using BenchmarkDotNet.Attributes;

namespace BatchVideo.Benchmarks.Micro;

/// <summary>The body of one create (POST /v3/videos) with the source-generated serializer, and a status answer read back.</summary>
[MemoryDiagnoser]
public class RequestSerializationBenchmark
{
    private readonly CreateVideoRequest request = new()
    {
        AvatarId = "sandbox_avatar_anna",
        VoiceId = "sandbox_voice_en_warm",
        Script = "Hi Amélie! Here is a short video for Boulangerie Durand, Inc.",
        Title = "Welcome Amélie [bv-0123456789abcdef0123]",
        AspectRatio = "16:9",
        Resolution = "1080p",
    };

    private readonly byte[] detail = """
        {"data":{"id":"4c1e0a0d6f6b4b7c9d3e2f1a0b9c8d7e","status":"completed","title":"Welcome Amélie [bv-0123456789abcdef0123]",
        "video_url":"http://127.0.0.1:5080/files/4c1e0a0d6f6b4b7c9d3e2f1a0b9c8d7e.mp4?expires=1893456000&signature=abcdef0123456789",
        "video_page_url":"https://app.heygen.com/video/4c1e0a0d6f6b4b7c9d3e2f1a0b9c8d7e","duration":4.4,"created_at":1767225600,"completed_at":1767225602}}
        """u8.ToArray();

    [Benchmark(Description = "serialize a create request")]
    public byte[] SerializeCreate() => JsonSerializer.SerializeToUtf8Bytes(request, HeyGenJson.Default.CreateVideoRequest);

    [Benchmark(Description = "deserialize a video detail")]
    public VideoDetail? DeserializeDetail() => JsonSerializer.Deserialize(detail, HeyGenJson.Default.DataEnvelopeVideoDetail)?.Data;
}
