using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace BatchVideo.Sandbox.Speech;

/// <summary>
/// A real, playable stand-in for synthesized speech: a RIFF/WAVE file of 16-bit mono PCM at 8 kHz, one soft tone
/// per "syllable" at a pitch taken from the file's id, as long as the speech it stands for. Made from its id and
/// length alone, so a link survives a restart of the sandbox with nothing stored. HeyGen answers MP3; a browser's
/// &lt;audio&gt; plays both.
/// </summary>
internal static class WaveAudio
{
    private const int SampleRate = 8000;

    public static byte[] Make(string id, int milliseconds)
    {
        var samples = (int)((long)SampleRate * Math.Clamp(milliseconds, 100, 120_000) / 1000);
        var bytes = new byte[44 + (samples * 2)];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], bytes.Length - 8);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16); // fmt chunk size
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * 2); // bytes per second
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2); // block align
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16); // bits per sample
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], samples * 2);
        var pitch = 140 + (SHA256.HashData(Encoding.UTF8.GetBytes(id))[0] % 120);
        const int syllable = SampleRate / 5; // five "syllables" a second
        for (var i = 0; i < samples; i++)
        {
            var envelope = Math.Sin(Math.PI * (i % syllable) / syllable);
            var value = 6000 * envelope * Math.Sin(2 * Math.PI * pitch * i / SampleRate);
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (i * 2))..], (short)value);
        }

        return bytes;
    }
}
