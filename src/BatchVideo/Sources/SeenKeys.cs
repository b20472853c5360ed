using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace BatchVideo.Sources;

/// <summary>
/// The recipient keys a pass over a source has seen, each with the line it was first seen on: the one
/// structure of a run or validation that grows with the row count, kept at about 11-16 bytes of memory a
/// key. The keys themselves go to a temporary file (deleted on close); memory holds one 64-bit slot per
/// key in open-addressing tables: the top 28 bits of the key's 64-bit hash, which also place it, and
/// where its record lies in the file. The slots are split into 256 tables by the hash's first 8 bits,
/// each growing on its own, so growing never holds two copies of the whole set. A slot whose hash bits match is confirmed by reading the key back
/// and comparing it byte for byte, so the answer is exact: a key is never taken for another one.
/// </summary>
internal sealed class SeenKeys : IDisposable
{
    private const int HashBits = 28;
    private const int OffsetBits = 64 - HashBits; // 64 GB of keys
    private const ulong OffsetMask = (1UL << OffsetBits) - 1;
    private const int RecordHeader = 12; // key length (int), first line (long)

    private const int SegmentBits = 8;
    private const int MaxSlotBits = HashBits - SegmentBits; // a table's slots are placed by the bits after its own

    private readonly ulong[][] tables = [.. Enumerable.Range(0, 1 << SegmentBits).Select(_ => new ulong[16])]; // 0 is empty: offsets start at 1
    private readonly int[] tableBits = [.. Enumerable.Repeat(4, 1 << SegmentBits)];
    private readonly int[] tableCounts = new int[1 << SegmentBits];
    private int count;
    private FileStream? spill;
    private long written;
    private long flushed;

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
            var hash = Hash(bytes) >> OffsetBits;
            var table = (int)(hash >> MaxSlotBits);
            var slots = tables[table];
            var mask = slots.Length - 1;
            for (var i = Home(hash, tableBits[table]); ; i = (i + 1) & mask)
            {
                var slot = slots[i];
                if (slot == 0)
                {
                    slots[i] = (hash << OffsetBits) | Append(bytes, line);
                    count++;
                    if (++tableCounts[table] * 4L > slots.Length * 3L)
                    {
                        Grow(table);
                    }

                    firstLine = line;
                    return true;
                }

                if (slot >> OffsetBits == hash && Matches(slot & OffsetMask, bytes, out firstLine))
                {
                    return false;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void Dispose() => spill?.Dispose();

    private static int Home(ulong hash, int bits) => (int)((hash >> (MaxSlotBits - bits)) & ((1UL << bits) - 1));

    /// <summary>FNV-1a over the bytes, then SplitMix64's finaliser so every bit of the key reaches the top bits.</summary>
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }

    private ulong Append(ReadOnlySpan<byte> key, long line)
    {
        if (spill is null)
        {
            spill = new FileStream(
                Path.Combine(Path.GetTempPath(), $"batchvideo-keys-{Guid.NewGuid():N}.tmp"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            spill.WriteByte(0); // no record at offset 0, so no slot is ever 0
            written = 1;
        }

        var offset = written;
        Span<byte> header = stackalloc byte[RecordHeader];
        BinaryPrimitives.WriteInt32LittleEndian(header, key.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[4..], line);
        spill.Write(header);
        spill.Write(key);
        written += RecordHeader + key.Length;
        if ((ulong)written > OffsetMask)
        {
            throw new InvalidOperationException("More than 64 GB of recipient keys in one pass.");
        }

        return (ulong)offset;
    }

    private bool Matches(ulong offset, ReadOnlySpan<byte> key, out long line)
    {
        if (written > flushed)
        {
            spill!.Flush();
            flushed = written;
        }

        Span<byte> header = stackalloc byte[RecordHeader];
        RandomAccess.Read(spill!.SafeFileHandle, header, (long)offset);
        line = BinaryPrimitives.ReadInt64LittleEndian(header[4..]);
        if (BinaryPrimitives.ReadInt32LittleEndian(header) != key.Length)
        {
            return false;
        }

        var stored = ArrayPool<byte>.Shared.Rent(Math.Max(key.Length, 1));
        try
        {
            var span = stored.AsSpan(0, key.Length);
            var read = 0;
            while (read < span.Length)
            {
                read += RandomAccess.Read(spill.SafeFileHandle, span[read..], (long)offset + RecordHeader + read);
            }

            return span.SequenceEqual(key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
    }

    // The slot keeps the hash's top 28 bits, which are also its home: growing needs no key read back.
    private void Grow(int table)
    {
        if (tableBits[table] == MaxSlotBits)
        {
            return; // 268 million slots in all: fuller from here on, still exact
        }

        var old = tables[table];
        var bits = ++tableBits[table];
        var slots = tables[table] = new ulong[1 << bits];
        var mask = slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot != 0)
            {
                var i = Home(slot >> OffsetBits, bits);
                while (slots[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                slots[i] = slot;
            }
        }
    }
}
