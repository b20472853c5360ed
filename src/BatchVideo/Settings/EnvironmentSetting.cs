namespace BatchVideo.Settings;

/// <summary>
/// A setting's environment-variable form (<c>Section__Key</c>, as .NET's environment provider reads it) and
/// how to set it from a shell: bash's <c>export</c> takes only letters, digits and underscores, so a name
/// with a campaign's dash (<c>Campaigns__crm-nightly__…</c>) is set with <c>env</c> for one command instead.
/// </summary>
public static class EnvironmentSetting
{
    /// <summary>"Campaigns__crm-nightly__Source__ConnectionString" for "Campaigns:crm-nightly:Source:ConnectionString".</summary>
    public static string Name(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Replace(":", "__", StringComparison.Ordinal);
    }

    /// <summary>True when a POSIX shell's <c>export NAME=…</c> accepts the name.</summary>
    public static bool ShellAccepts(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }

    /// <summary>
    /// "export HeyGen__WebhookSecret=&lt;value&gt;", or, for a name a shell refuses,
    /// "env 'Campaigns__crm-nightly__Source__ConnectionString=&lt;value&gt;' batchvideo …".
    /// </summary>
    public static string HowToSet(string path, string value = "<value>")
    {
        var name = Name(path);
        return ShellAccepts(name) ? $"export {name}='{value}'" : $"env '{name}={value}' batchvideo …";
    }
}
