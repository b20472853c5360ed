using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BatchVideo.Sources;

/// <summary>
/// What the file system says about one file, as far as replacing it is concerned: its size and change
/// time (to see an edit), and on Linux its owner, group, mode and number of names (hard links). Read with
/// Linux's <c>statx(2)</c>, whose buffer has one layout on every architecture (unlike <c>struct stat</c>);
/// elsewhere the owner, group and links are unknown (null) and the mode comes from .NET.
/// </summary>
internal sealed record FileStatus(long Size, DateTime Modified, UnixFileMode? Mode, uint? Owner, uint? Group, uint? Links)
{
    /// <summary>The status of <paramref name="path"/>, following symbolic links.</summary>
    /// <exception cref="IOException">The file cannot be looked at (gone, no permission).</exception>
    public static FileStatus Of(string path)
    {
        if (OperatingSystem.IsLinux() && Native.Statx(path) is { } status)
        {
            return status;
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path} does not exist.", path);
        }

        return new FileStatus(info.Length, info.LastWriteTimeUtc, OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(path), null, null, null);
    }

    /// <summary>The user and group this process creates files as; null where there are none to keep (Windows).</summary>
    public static (uint User, uint Group)? Creator() =>
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? (Native.geteuid(), Native.getegid()) : null;

    /// <summary>
    /// Gives <paramref name="path"/> to <paramref name="owner"/> and <paramref name="group"/> (null: left as
    /// it is); the error number when the system refuses (EPERM 1: only root may give a file away).
    /// </summary>
    public static int? ChangeOwner(string path, uint? owner, uint? group) =>
        Native.chown(path, owner ?? uint.MaxValue, group ?? uint.MaxValue) == 0 ? null : Marshal.GetLastPInvokeError();

    private static class Native
    {
        private const int AtCurrentFolder = -100;
        private const uint BasicStats = 0x7ff; // STATX_BASIC_STATS
        private const int BufferLength = 256; // sizeof(struct statx)

        // Offsets in struct statx (linux/stat.h): nlink 16, uid 20, gid 24, mode 28 (16 bits), size 40,
        // mtime 112 (64-bit seconds, then 32-bit nanoseconds).
        public static FileStatus? Statx(string path)
        {
            var buffer = new byte[BufferLength];
            int result;
            try
            {
                result = statx(AtCurrentFolder, path, 0, BasicStats, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                return null; // a C library older than glibc 2.28: fall back to what .NET knows
            }

            if (result != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                throw error == 2
                    ? new FileNotFoundException($"{path} does not exist.", path)
                    : new IOException($"{path} cannot be looked at (error {error}: {Marshal.GetPInvokeErrorMessage(error)}).");
            }

            var span = buffer.AsSpan();
            var seconds = BinaryPrimitives.ReadInt64LittleEndian(span[112..]);
            var nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(span[120..]);
            var modified = DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(nanoseconds / 100);
            return new FileStatus(
                BinaryPrimitives.ReadInt64LittleEndian(span[40..]),
                modified,
                (UnixFileMode)(BinaryPrimitives.ReadUInt16LittleEndian(span[28..]) & 0xfff),
                BinaryPrimitives.ReadUInt32LittleEndian(span[20..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[24..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[16..]));
        }

#pragma warning disable SYSLIB1054, CA5392, CA2101 // a plain libc call; the generated-marshalling form would need unsafe code in this project
        [DllImport("libc", SetLastError = true)]
        private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string pathname, int flags, uint mask, byte[] statxbuf);

        [DllImport("libc", SetLastError = true)]
        public static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

        [DllImport("libc")]
        public static extern uint geteuid();

        [DllImport("libc")]
        public static extern uint getegid();
#pragma warning restore SYSLIB1054, CA5392, CA2101
    }
}
