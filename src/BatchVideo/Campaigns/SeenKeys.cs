using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace BatchVideo.Campaigns;

/// <summary>
/// The recipient keys a pass over a source has seen, each with the line it was first seen on: the one
/// structure of a run or validation that grows with the row count. Keys live as UTF-8 in large shared
/// chunks, found through an open-addressing table, at about 40 bytes a key; a string and a dictionary
/// entry each would cost two to three times that, plus the spikes of resizing one huge entry array.
/// </summary>
internal sealed class SeenKeys
{
    private const int ChunkBytes = 1 << 20;
    private const int BlockEntries = 1 << 16;

    private readonly List<byte[]> chunks = [];
    private readonly List<Entry[]> blocks = [];
    private int chunkUsed = ChunkBytes;
    private int[] slots = new int[1 << 12]; // entry number + 1; 0 is empty
    private int count;

    public int Count => count;

    /// <summary>Adds <paramref name="key"/>; false, with the line it was first seen on, when it was seen before.</summary>
    public bool TryAdd(string key, long line, out long firstLine)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetByteCount(key);
        byte[]? rented = null;
        var bytes = length <= 256 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            Encoding.UTF8.GetBytes(key, bytes);
            var hash = string.GetHashCode(key.AsSpan(), StringComparison.Ordinal);
            var mask = slots.Length - 1;
            var i = hash & mask;
            for (; slots[i] != 0; i = (i + 1) & mask)
            {
                ref var entry = ref EntryAt(slots[i] - 1);
                if (entry.Hash == hash && Bytes(entry).SequenceEqual(bytes))
                {
                    firstLine = entry.Line;
                    return false;
                }
            }

            var (chunk, offset) = Store(bytes);
            if (count % BlockEntries == 0)
            {
                blocks.Add(new Entry[BlockEntries]);
            }

            EntryAt(count) = new Entry(chunk, offset, length, hash, line);
            slots[i] = ++count;
            if (count * 2 > slots.Length)
            {
                Grow();
            }

            firstLine = line;
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private ref Entry EntryAt(int number) => ref blocks[number / BlockEntries][number % BlockEntries];

    private ReadOnlySpan<byte> Bytes(in Entry entry) => chunks[entry.Chunk].AsSpan(entry.Offset, entry.Length);

    private (int Chunk, int Offset) Store(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ChunkBytes - chunkUsed)
        {
            // A key longer than a chunk gets a chunk of its own; absurd for a key, but never refused.
            chunks.Add(new byte[Math.Max(ChunkBytes, bytes.Length)]);
            chunkUsed = 0;
        }

        bytes.CopyTo(chunks[^1].AsSpan(chunkUsed));
        var at = (chunks.Count - 1, chunkUsed);
        chunkUsed += bytes.Length;
        return at;
    }

    private void Grow()
    {
        slots = new int[slots.Length * 2];
        var mask = slots.Length - 1;
        for (var number = 0; number < count; number++)
        {
            var i = EntryAt(number).Hash & mask;
            while (slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = number + 1;
        }
    }

    [StructLayout(LayoutKind.Auto)]
    private readonly record struct Entry(int Chunk, int Offset, int Length, int Hash, long Line);
}
