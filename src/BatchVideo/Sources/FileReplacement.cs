using System.Security.Cryptography;

namespace BatchVideo.Sources;

/// <summary>
/// Replaces a file the way <c>sed -i</c> and atomic-write helpers do, so that it stays what it was: the new
/// content goes to a temporary file beside the real file (a symbolic link is followed to its target, and
/// the link stays), which gets the old file's mode, owner and group before a byte is written, and is
/// renamed over it only if the source is unchanged since it was read (size, change time and a SHA-256 of
/// its bytes). A file with several names (hard links) is refused: a rename would give only one name the
/// new content, and writing in place is not atomic.
/// </summary>
public static class FileReplacement
{
    /// <summary>The sentence for a source edited while it was being rewritten.</summary>
    public const string ChangedWhileWriting = "the file changed while the run was writing: nothing lost, the results are in the ledger, rerun";

    /// <summary>The file a write to <paramref name="path"/> really replaces: the final target of a symbolic link, else the path itself.</summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target ? target.FullName : full;
    }

    /// <summary>
    /// Why <paramref name="path"/> (an existing file to be replaced) could not stay what it is; null when it
    /// can. Asked at start, before anything is paid, and again just before writing.
    /// </summary>
    public static string? Refusal(string path)
    {
        var target = Resolve(path);
        if (!File.Exists(target))
        {
            return null;
        }

        var status = FileStatus.Of(target);
        var named = target == Path.GetFullPath(path) ? path : $"{path} (a link to {target})";
        if (status.Links is > 1 and var links)
        {
            return $"{named} has {links} names (hard links): replacing it would give only this name the results and leave the others with the old content, "
                + "so it is not written. Write the results elsewhere with --out, or make it a file of its own (cp it to a new name and run on the copy).";
        }

        if (status.Owner is { } owner && FileStatus.Creator() is { User: not 0 and var user } && owner != user)
        {
            return $"{named} belongs to user {owner}, and this run (user {user}) cannot give the rewritten file back to its owner, so it is not written. "
                + "Run as that user (or as root), or write the results elsewhere with --out.";
        }

        return null;
    }

    /// <summary>
    /// Writes <paramref name="target"/> anew from <paramref name="write"/> (which reads <paramref name="source"/>),
    /// through a temporary file renamed over it. The target's mode, owner and group are kept (a new target
    /// takes the source's mode); <paramref name="source"/> must not change meanwhile.
    /// </summary>
    /// <returns>The file written: the target, or the file its symbolic link points at.</returns>
    /// <exception cref="SourceException">The file cannot stay what it is, or the source changed while it was written; nothing was replaced.</exception>
    internal static async Task<string> ReplaceAsync(string source, string target, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var file = Resolve(target);
        if (File.Exists(file) && Refusal(file) is { } refusal)
        {
            throw new SourceException(refusal);
        }

        var keep = FileStatus.Of(File.Exists(file) ? file : source);
        var read = await SnapshotAsync(source, ct);
        var folder = Path.GetDirectoryName(file)!;
        var name = Path.GetFileName(file);
        RemoveAbandonedTempFiles(folder, name);
        var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 1 << 16,
                Options = FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows())
            {
                // Private until it is given the old file's owner and mode: a CRM export holds personal data.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var output = new FileStream(temp, options))
            {
                KeepOwnerAndMode(temp, file, keep, ownerToo: File.Exists(file));
                await write(output, ct);
                await output.FlushAsync(ct);
                output.Flush(flushToDisk: true);
            }

            // The last moment before the rename: an editor's save since the read would be overwritten.
            if (await SnapshotAsync(source, ct) != read)
            {
                throw new SourceException($"{source}: {ChangedWhileWriting}.");
            }

            File.Move(temp, file, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return file;
    }

    /// <summary>Gives the temporary file the owner and group (chown first: it clears set-id bits) and then the mode of the file it replaces.</summary>
    private static void KeepOwnerAndMode(string temp, string file, FileStatus keep, bool ownerToo)
    {
        if (ownerToo && FileStatus.Creator() is { } creator && (keep.Owner, keep.Group) is ({ } owner, { } group)
            && (owner != creator.User || group != creator.Group)
            && FileStatus.ChangeOwner(temp, owner == creator.User ? null : owner, group == creator.Group ? null : group) is { } error)
        {
            throw new SourceException(
                $"{file} belongs to user {owner} and group {group}; this run (user {creator.User}, group {creator.Group}) cannot give the rewritten file "
                + $"the same owner (error {error}), so nothing was written: the results are in the ledger. Run as a user who may (its owner, a member of its group, or root), or write elsewhere with --out.");
        }

        if (keep.Mode is { } mode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, mode);
        }
    }

    private static async Task<(long Size, DateTime Modified, string Hash)> SnapshotAsync(string path, CancellationToken ct)
    {
        var status = FileStatus.Of(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var hash = Convert.ToHexString(await SHA256.HashDataAsync(stream, ct));
        return (status.Size, status.Modified, hash);
    }

    /// <summary>
    /// A write-back killed before its rename leaves its temp file behind; the next one (the run holds the
    /// file's lock) removes such leftovers, recognised by the exact name pattern only this class uses.
    /// </summary>
    private static void RemoveAbandonedTempFiles(string folder, string name)
    {
        foreach (var file in Directory.EnumerateFiles(folder, $".{name}.*.tmp"))
        {
            var middle = Path.GetFileName(file)[(name.Length + 2)..^4];
            if (middle.Length == 32 && Guid.TryParseExact(middle, "N", out _))
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // Still open somewhere: left for the next write-back.
                }
            }
        }
    }
}
