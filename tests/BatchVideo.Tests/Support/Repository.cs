namespace BatchVideo.Tests.Support;

/// <summary>The repository the tests were built from: sample data, templates, the golden corpus.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !System.IO.File.Exists(Path.Combine(folder.FullName, "BatchVideo.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("BatchVideo.sln not found above " + AppContext.BaseDirectory);
    }
}
