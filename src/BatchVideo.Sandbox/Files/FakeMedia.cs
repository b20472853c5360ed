using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BatchVideo.Sandbox.Files;

/// <summary>
/// Deterministic stand-in file contents: the right magic bytes for the type, then filler derived from
/// the file name, so a download can be checked byte for byte and a resumed (Range) download must splice
/// correctly. Not playable; nothing downstream decodes media.
/// </summary>
internal static class FakeMedia
{
    private const int ThumbnailBytes = 2 * 1024;
    private const int GifBytes = 1024;

    public static byte[] Render(MediaFile file, SandboxVideo video, int videoBytes) => file.Kind switch
    {
        MediaKind.Video or MediaKind.CaptionedVideo => file.Extension == "webm" ? WebM(file, videoBytes) : Mp4(file, videoBytes),
        MediaKind.Thumbnail => Jpeg(file),
        MediaKind.Gif => Gif(file),
        MediaKind.Subtitles => Srt(video),
        _ => throw new ArgumentOutOfRangeException(nameof(file), file.Kind, null),
    };

    private static byte[] Mp4(MediaFile file, int videoBytes)
    {
        var bytes = Filler(file, videoBytes);
        // ftyp box (32 bytes), then one mdat box holding the rest, so sniffers see an MP4.
        ReadOnlySpan<byte> ftyp = [0, 0, 0, 32, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2avc1mp41"u8];
        ftyp.CopyTo(bytes);
        var mdatSize = videoBytes - ftyp.Length;
        bytes[32] = (byte)(mdatSize >> 24);
        bytes[33] = (byte)(mdatSize >> 16);
        bytes[34] = (byte)(mdatSize >> 8);
        bytes[35] = (byte)mdatSize;
        "mdat"u8.CopyTo(bytes.AsSpan(36));
        return bytes;
    }

    private static byte[] WebM(MediaFile file, int videoBytes)
    {
        var bytes = Filler(file, videoBytes);
        ReadOnlySpan<byte> ebmlMagic = [0x1A, 0x45, 0xDF, 0xA3];
        ebmlMagic.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Jpeg(MediaFile file)
    {
        var bytes = Filler(file, ThumbnailBytes);
        ReadOnlySpan<byte> start = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00];
        start.CopyTo(bytes);
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    private static byte[] Gif(MediaFile file)
    {
        var bytes = Filler(file, GifBytes);
        "GIF89a"u8.CopyTo(bytes);
        bytes[^1] = 0x3B;
        return bytes;
    }

    private static byte[] Srt(SandboxVideo video)
    {
        var end = TimeSpan.FromSeconds(Math.Max(1, Videos.VideoLifecycle.EstimateDuration(video.Script)));
        var cue = string.Create(
            CultureInfo.InvariantCulture,
            $"1\n00:00:00,000 --> {end:hh\\:mm\\:ss\\,fff}\n{video.Script}\n");
        return Encoding.UTF8.GetBytes(cue);
    }

    /// <summary>xorshift64* seeded from a hash of the file name: cheap, and the same bytes every time.</summary>
    private static byte[] Filler(MediaFile file, int length)
    {
        var seed = BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(file.FileName)));
        var state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;
        var bytes = new byte[length];
        for (var i = 0; i < length; i += 8)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            var value = state * 0x2545F4914F6CDD1DUL;
            for (var b = 0; b < 8 && i + b < length; b++)
            {
                bytes[i + b] = (byte)(value >> (8 * b));
            }
        }

        return bytes;
    }
}
