namespace BatchVideo.WriteBack;

/// <summary>
/// The link a campaign writes into its URL column (<c>Campaigns:&lt;name&gt;:UrlField</c>, written <c>page</c>,
/// <c>signed</c> or <c>download</c>). Asked only inside this folder: elsewhere, <see cref="WriteBackLink"/> answers.
/// </summary>
public enum UrlField
{
    /// <summary>The video's page in HeyGen's app: stable, never expires (the default).</summary>
    Page,

    /// <summary>The presigned MP4 link: plays anywhere, but expires; <c>batchvideo refresh</c> renews it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The configuration's word is 'signed' (a signed link), and the binder reads it by name.")]
    Signed,

    /// <summary>Our own copy in <c>Storage:Folder</c>: its path, or <c>Storage:PublicBaseUrl</c> plus its name.</summary>
    Download,
}
