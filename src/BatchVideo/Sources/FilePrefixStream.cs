namespace BatchVideo.Sources;

/// <summary>
/// A file read without its last bytes: the CSV reader sees a file that ends with a Ctrl-Z mark as if the
/// mark were not there, so it is neither a row nor a character of the last cell.
/// </summary>
internal sealed class FilePrefixStream(FileStream file, long length) : Stream
{
    /// <summary>Opens <paramref name="path"/> for reading, ending <paramref name="drop"/> bytes before its end.</summary>
    public static Stream WithoutLastByte(string path, int drop = 1)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return drop == 0 ? file : new FilePrefixStream(file, Math.Max(0, file.Length - drop));
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => file.Position;
        set => file.Position = Math.Min(value, length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var left = (int)Math.Min(buffer.Length, Math.Max(0, length - file.Position));
        return left == 0 ? 0 : file.Read(buffer[..left]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var left = (int)Math.Min(buffer.Length, Math.Max(0, length - file.Position));
        return left == 0 ? 0 : await file.ReadAsync(buffer[..left], cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => file.Position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
