namespace BatchVideo.Tests.Support;

/// <summary>
/// A newcomer's checkout inside a test folder: copies of the committed files the README's commands
/// use. Tests run the documented commands there, never in the repository, whose files those commands write.
/// </summary>
public static class Checkout
{
    /// <summary>Copies appsettings.json, .gitignore, templates/ and sample-data/ into <paramref name="folder"/>.</summary>
    public static void CopyTo(string folder)
    {
        File.Copy(Repository.File("appsettings.json"), Path.Combine(folder, "appsettings.json"), overwrite: true);
        File.Copy(Repository.File(".gitignore"), Path.Combine(folder, ".gitignore"), overwrite: true);
        foreach (var part in new[] { "templates", "sample-data" })
        {
            Directory.CreateDirectory(Path.Combine(folder, part));
            // Only the committed kinds: a sandbox run's results (*.sandbox.csv) or a database made from a
            // script may sit beside them in a developer's checkout.
            foreach (var file in Directory.GetFiles(Repository.File(part)).Where(f => !f.EndsWith(".sandbox.csv", StringComparison.Ordinal) && !f.EndsWith(".db", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(folder, part, Path.GetFileName(file)), overwrite: true);
            }
        }
    }

    /// <summary>Copies the sample export alone to <c>contacts.csv</c> in <paramref name="folder"/>; its path.</summary>
    public static string CopySampleContacts(string folder)
    {
        var path = Path.Combine(folder, "contacts.csv");
        File.Copy(Repository.File("sample-data", "contacts.csv"), path, overwrite: true);
        return path;
    }
}
