namespace BatchVideo.Sources;

/// <summary>
/// An exclusive lock on a file that a run writes back to, so two runs never rewrite one CSV at once.
/// The operating system releases it when the process dies, so a killed run never blocks a rerun.
/// </summary>
public sealed class SourceLock : IDisposable
{
    private readonly FileStream stream;

    private SourceLock(FileStream stream) => this.stream = stream;

    public static SourceLock Acquire(string path)
    {
        var lockPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.batchvideo.lock");
        try
        {
            var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return new SourceLock(stream);
        }
        catch (IOException e)
        {
            throw new SourceLockedException($"{path} is being processed by another batchvideo run (lock {lockPath}); wait for it to finish.", e);
        }
    }

    public void Dispose() => stream.Dispose();
}

/// <summary>Another run holds the file.</summary>
public sealed class SourceLockedException : Exception
{
    public SourceLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SourceLockedException()
    {
    }

    public SourceLockedException(string message)
        : base(message)
    {
    }
}
