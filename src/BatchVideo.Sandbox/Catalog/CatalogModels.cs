namespace BatchVideo.Sandbox.Catalog;

/// <summary>AvatarLookItem: one avatar look; its <c>id</c> is the <c>avatar_id</c> for creates.</summary>
internal sealed record AvatarLook(
    string Id,
    string Name,
    string AvatarType,
    string? GroupId,
    string? PreviewImageUrl,
    string? PreviewVideoUrl,
    string? Gender,
    IReadOnlyList<string> Tags,
    string? DefaultVoiceId,
    IReadOnlyList<string> SupportedApiEngines,
    int? ImageWidth,
    int? ImageHeight,
    string? PreferredOrientation,
    string? Status,
    AvatarError? Error);

/// <summary>AvatarError: why a private avatar's training failed (never set for sandbox avatars).</summary>
internal sealed record AvatarError(string Code, string Message);

/// <summary>AudioVoiceItem: one voice.</summary>
internal sealed record VoiceItem(
    string VoiceId,
    string Name,
    string Language,
    string Gender,
    string? PreviewAudioUrl,
    bool SupportPause,
    bool SupportLocale,
    string Type);

/// <summary>UserInfoResponse with the wallet billing variant, the one API-key accounts get.</summary>
internal sealed record UserInfo(
    string Username,
    string? Email,
    string? FirstName,
    string? LastName,
    string BillingType,
    WalletInfo Wallet);

/// <summary>WalletInfo: prepaid balance in <c>usd</c> or <c>credits</c>.</summary>
internal sealed record WalletInfo(string Currency, double? RemainingBalance, AutoReloadInfo? AutoReload);

/// <summary>AutoReloadInfo: the schema's object form (not a bare boolean).</summary>
internal sealed record AutoReloadInfo(bool Enabled, double? ThresholdUsd, double? AmountUsd);
