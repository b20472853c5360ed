namespace BatchVideo.Sources.Tables;

/// <summary>A CRM table as a campaign's source: where it is, which rows, which columns.</summary>
public sealed class TableSourceOptions
{
    /// <summary>sqlserver (production), postgres or sqlite.</summary>
    public string Engine { get; set; } = "sqlserver";

    /// <summary>
    /// The connection string itself; keep it out of committed files (environment variable
    /// Campaigns__&lt;name&gt;__Source__ConnectionString, or user secrets).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Or the name of an entry under ConnectionStrings (ConnectionStrings__&lt;name&gt; in the environment).</summary>
    public string? ConnectionStringName { get; set; }

    /// <summary>Schema-qualified table, e.g. dbo.Contacts (checked against the live schema).</summary>
    public string Table { get; set; } = "";

    /// <summary>Columns to read for the templates; empty reads them all.</summary>
    public List<string> Columns { get; set; } = [];

    /// <summary>An extra SQL predicate the operator owns, e.g. <c>status = 'active'</c>. One expression, no statements.</summary>
    public string? Filter { get; set; }

    /// <summary>Rows per keyset page and per write-back batch.</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Optional column stamped with the UTC time of each write-back.</summary>
    public string? UpdatedAtColumn { get; set; }
}
