using BatchVideo.Databases;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Campaigns;

/// <summary>Paths in the configuration resolve against the configuration file's folder, not the working directory.</summary>
internal static class OptionsPaths
{
    /// <summary>The storage folder, each campaign's template, and each table's named connection string and SQLite file.</summary>
    public static void Resolve(BatchVideoOptions o, string baseDirectory, IConfiguration configuration)
    {
        o.BaseDirectory = baseDirectory;
        if (o.Storage.Folder is { Length: > 0 } storage)
        {
            o.Storage.Folder = Path.GetFullPath(storage, baseDirectory);
        }

        foreach (var campaign in o.Campaigns.Values)
        {
            if (campaign.Template.Length > 0)
            {
                campaign.Template = Path.GetFullPath(campaign.Template, baseDirectory);
            }

            if (campaign.Pronunciations.File is { Length: > 0 } respellings)
            {
                campaign.Pronunciations.File = Path.GetFullPath(respellings, baseDirectory);
            }

            if (campaign.Source is { } source)
            {
                if (source.ConnectionStringName is { Length: > 0 } named)
                {
                    source.ConnectionString ??= configuration.GetConnectionString(named);
                }

                if (source.ConnectionString is { } text && EnginePaths.IsSqlite(source.Engine))
                {
                    source.ConnectionString = EnginePaths.ResolveSqlitePath(text, baseDirectory);
                }
            }
        }
    }

    /// <summary>A SQLite ledger's file.</summary>
    public static void Resolve(LedgerOptions o, string baseDirectory)
    {
        if (EnginePaths.IsSqlite(o.Engine))
        {
            o.ConnectionString = EnginePaths.ResolveSqlitePath(o.ConnectionString, baseDirectory);
        }
    }
}
