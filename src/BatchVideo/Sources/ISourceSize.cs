namespace BatchVideo.Sources;

/// <summary>
/// How many rows a read of the source gives, known from the read's own progress rather than from a
/// counting pass of its own: a table counts its pending rows once per read (<c>COUNT(*)</c>); a file
/// estimates from the share of its bytes read, and knows exactly once a read reached its end.
/// </summary>
public interface ISourceSize
{
    /// <summary>The rows of a read of this source; an estimate until known exactly, null before anything was read.</summary>
    long? TotalRows();
}
