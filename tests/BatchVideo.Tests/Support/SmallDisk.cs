using System.Diagnostics;

namespace BatchVideo.Tests.Support;

/// <summary>
/// A small file system of its own (tmpfs), so a test can fill it without touching the machine's disk.
/// Mounting needs root (CI runs as root): elsewhere the test is skipped on a dev machine and fails in CI.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB in a new folder.</summary>
    public static async Task<SmallDisk> MountAsync(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "batchvideo-tests", "disk-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            var reason = $"a tmpfs cannot be mounted here ({error.Trim()})";
            Assert.That(Environment.GetEnvironmentVariable("CI"), Is.Not.EqualTo("true"), $"CI must allow this test its full disk: {reason}");
            Assert.Ignore(reason);
        }

        return new SmallDisk(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a file until the disk is full; returns its path (delete it to give the space back).</summary>
    public string Fill()
    {
        var filler = File("filler");
        var block = new byte[64 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full, as wanted. Smaller writes take the last few bytes.
        }

        try
        {
            while (true)
            {
                stream.Write(block, 0, 512);
            }
        }
        catch (IOException)
        {
        }

        return filler;
    }

    /// <summary>Remounts the disk read-only: every file on it, and the folder, refuse writes even to root.</summary>
    public async Task MakeReadOnlyAsync()
    {
        var (code, error) = await RunAsync("mount", "-o", "remount,ro", Path);
        Assert.That(code, Is.Zero, $"remount read-only: {error}");
    }

    public void Dispose()
    {
        using var umount = Process.Start("umount", ["-l", Path]);
        umount.WaitForExit();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int Code, string Error)> RunAsync(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
