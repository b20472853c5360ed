using System.Diagnostics;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sources;

/// <summary>Write-back replaces the CSV with a file that is still the operator's: mode, owner, links, edits.</summary>
[TestFixture]
[Platform(Include = "Linux")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileReplacementTests
{
    private const string Csv = "id,name\n1,Ana\n2,Ben\n";

    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown() => folder.Dispose();

    private static WriteBackLookup Done(Action? during = null) =>
        (keys, _) =>
        {
            during?.Invoke();
            return Task.FromResult<IReadOnlyDictionary<string, WriteBackValues>>(
                keys.ToDictionary(k => k, k => new WriteBackValues("v" + k, "completed", "https://x/" + k + ".mp4")));
        };

    private static async Task<SourceException> RefusedAsync(Func<Task> act)
    {
        try
        {
            await act();
        }
        catch (SourceException e)
        {
            return e;
        }

        Assert.Fail("the write-back was not stopped");
        throw new InvalidOperationException();
    }

    [Test]
    public async Task A_private_export_keeps_its_mode()
    {
        var path = folder.Write("c.csv", Csv);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await CsvContactSource.Open(path, "id").WriteBackAsync(Done(), CancellationToken.None);

        Assert.That(File.ReadAllText(path), Does.Contain("https://x/1.mp4"));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task An_export_owned_by_another_user_keeps_its_owner_and_group()
    {
        if (FileStatus.Creator() is not { User: 0 })
        {
            // Only root may give a file to another user; CI runs as root, so there this test must run.
            Assert.That(Environment.GetEnvironmentVariable("CI"), Is.Not.EqualTo("true"), "CI must run this test as root");
            Assert.Ignore("giving a file to another user needs root");
        }

        var path = folder.Write("c.csv", Csv);
        Assert.That(FileStatus.ChangeOwner(path, 4321, 4322), Is.Null);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        await CsvContactSource.Open(path, "id").WriteBackAsync(Done(), CancellationToken.None);

        var after = FileStatus.Of(path);
        Assert.That(File.ReadAllText(path), Does.Contain("https://x/2.mp4"));
        Assert.That((after.Owner, after.Group), Is.EqualTo(((uint?)4321, (uint?)4322)));
        Assert.That(after.Mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead));
    }

    [Test]
    public async Task A_symlinked_export_is_written_through_to_its_target_and_stays_a_link()
    {
        var target = folder.Write("exports/real.csv", Csv);
        var link = Path.Combine(folder.Path, "c.csv");
        File.CreateSymbolicLink(link, "exports/real.csv");

        var result = await CsvContactSource.Open(link, "id").WriteBackAsync(Done(), CancellationToken.None);

        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo("exports/real.csv"), "the link is still a link");
        Assert.That(File.ReadAllText(target), Does.Contain("https://x/1.mp4"));
        Assert.That(result.Target, Is.EqualTo(link));
        Assert.That(Directory.GetFiles(Path.Combine(folder.Path, "exports"), "*.tmp"), Is.Empty);
    }

    [Test]
    public async Task A_hard_linked_export_is_refused_with_a_sentence_and_left_as_it_was()
    {
        var path = folder.Write("c.csv", Csv);
        var other = Path.Combine(folder.Path, "other-name.csv");
        using (var ln = Process.Start("ln", [path, other]))
        {
            await ln.WaitForExitAsync();
            Assert.That(ln.ExitCode, Is.Zero);
        }

        var refusal = FileReplacement.Refusal(path);
        var e = await RefusedAsync(() => CsvContactSource.Open(path, "id").WriteBackAsync(Done(), CancellationToken.None));

        Assert.That(refusal, Does.Contain("has 2 names (hard links)").And.Contain("--out"));
        Assert.That(e.Message, Is.EqualTo(refusal));
        Assert.That(File.ReadAllText(path), Is.EqualTo(Csv));
        Assert.That(File.ReadAllText(other), Is.EqualTo(Csv));
    }

    [Test]
    public async Task A_save_during_write_back_is_not_lost()
    {
        var path = folder.Write("c.csv", Csv);
        const string Saved = "id,name\n1,Ana Maria\n2,Ben\n3,Cleo\n";
        var source = CsvContactSource.Open(path, "id");

        var e = await RefusedAsync(() => source.WriteBackAsync(Done(during: () => File.WriteAllText(path, Saved)), CancellationToken.None));

        Assert.That(e.Message, Does.Contain(FileReplacement.ChangedWhileWriting));
        Assert.That(File.ReadAllText(path), Is.EqualTo(Saved), "the editor's save stays");
        Assert.That(Directory.GetFiles(folder.Path, "*.tmp"), Is.Empty);
    }

    [Test]
    public async Task A_changed_header_during_write_back_is_the_same_stop()
    {
        var path = folder.Write("c.csv", Csv);
        var source = CsvContactSource.Open(path, "id");

        // Same size and the same rows: only the header's name differs.
        var e = await RefusedAsync(() => source.WriteBackAsync(Done(during: () => File.WriteAllText(path, Csv.Replace("name", "nome", StringComparison.Ordinal))), CancellationToken.None));

        Assert.That(e.Message, Does.Contain(FileReplacement.ChangedWhileWriting));
        Assert.That(File.ReadAllText(path), Does.StartWith("id,nome\n"));
    }

    [Test]
    public async Task A_new_out_file_takes_the_private_mode_of_its_source()
    {
        var path = folder.Write("c.csv", Csv);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var output = Path.Combine(folder.Path, "results.csv");

        await CsvContactSource.Open(path, "id", outPath: output).WriteBackAsync(Done(), CancellationToken.None);

        Assert.That(File.GetUnixFileMode(output), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.ReadAllText(path), Is.EqualTo(Csv));
    }
}
