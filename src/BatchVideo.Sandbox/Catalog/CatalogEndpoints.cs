using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Videos;

namespace BatchVideo.Sandbox.Catalog;

/// <summary>
/// The pre-flight endpoints a batch client calls before spending money: avatar looks, voices and the
/// account's balance.
/// </summary>
internal sealed class CatalogEndpoints(SandboxOptions options, SandboxCatalog catalog, VideoStore store)
{
    private static readonly string[] AvatarTypes = ["studio_avatar", "video_avatar", "photo_avatar"];
    private static readonly string[] Ownerships = ["public", "private"];

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v3/avatars/looks", new RequestDelegate(ListLooksAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/avatars/looks/{look_id}", new RequestDelegate(GetLookAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/voices", new RequestDelegate(ListVoicesAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/voices/{voice_id}", new RequestDelegate(GetVoiceAsync)).WithMetadata(RouteTag.Api);
        routes.MapGet("/v3/users/me", new RequestDelegate(GetUserAsync)).WithMetadata(RouteTag.Api);
    }

    private Task GetLookAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["look_id"]!;
        return catalog.TryGetLook(id, out var look)
            ? ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new DataEnvelope<AvatarLook>(look), SandboxJson.Wire.DataEnvelopeAvatarLook)
            : ApiResponses.WriteErrorAsync(context, ApiError.NotFound("avatar_not_found", $"Avatar look {id} not found.", "look_id"));
    }

    private Task GetVoiceAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["voice_id"]!;
        return catalog.TryGetVoice(id, out var voice)
            ? ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new DataEnvelope<VoiceItem>(voice), SandboxJson.Wire.DataEnvelopeVoiceItem)
            : ApiResponses.WriteErrorAsync(context, ApiError.NotFound("voice_not_found", $"Voice {id} not found.", "voice_id"));
    }

    private Task ListLooksAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var avatarType = query["avatar_type"].ToString();
        var ownership = query["ownership"].ToString();
        var groupId = query["group_id"].ToString();
        var tokenError = Paging.TryReadToken(context, "looks", out var from);
        var error = Paging.TryReadLimit(context, defaultLimit: 20, maxLimit: 50, out var limit)
            ?? tokenError
            ?? CheckEnum(avatarType, AvatarTypes, "avatar_type")
            ?? CheckEnum(ownership, Ownerships, "ownership");
        if (error is not null)
        {
            return ApiResponses.WriteErrorAsync(context, error);
        }

        // Every sandbox look is a public studio avatar in its own group.
        var matches = catalog.Looks
            .Where(look => avatarType.Length == 0 || avatarType == look.AvatarType)
            .Where(_ => ownership != "private")
            .Where(look => groupId.Length == 0 || groupId == look.GroupId)
            .ToList();
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, Page(matches, from ?? 0, limit, "looks"), SandboxJson.Wire.ListPageAvatarLook);
    }

    private Task ListVoicesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var type = query["type"].ToString();
        var language = query["language"].ToString();
        var gender = query["gender"].ToString();
        var tokenError = Paging.TryReadToken(context, "voices", out var from);
        var error = Paging.TryReadLimit(context, defaultLimit: 20, maxLimit: 100, out var limit)
            ?? tokenError
            ?? CheckEnum(type, Ownerships, "type");
        if (error is not null)
        {
            return ApiResponses.WriteErrorAsync(context, error);
        }

        // `engine` is accepted and ignored: the sandbox does not model TTS engines.
        var matches = catalog.Voices
            .Where(_ => type != "private")
            .Where(voice => language.Length == 0 || string.Equals(language, voice.Language, StringComparison.OrdinalIgnoreCase))
            .Where(voice => gender.Length == 0 || string.Equals(gender, voice.Gender, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, Page(matches, from ?? 0, limit, "voices"), SandboxJson.Wire.ListPageVoiceItem);
    }

    private Task GetUserAsync(HttpContext context)
    {
        var user = new UserInfo(
            Username: "sandbox",
            Email: "sandbox@example.invalid",
            FirstName: "Sandbox",
            LastName: "User",
            BillingType: "wallet",
            Wallet: new WalletInfo(options.WalletCurrency, store.RemainingCredits, new AutoReloadInfo(Enabled: false, ThresholdUsd: null, AmountUsd: null)));
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new DataEnvelope<UserInfo>(user), SandboxJson.Wire.DataEnvelopeUserInfo);
    }

    private static ListPage<T> Page<T>(List<T> items, int from, int limit, string scope)
    {
        var page = items.Skip(from).Take(limit).ToList();
        var next = from + page.Count;
        var hasMore = next < items.Count;
        return new ListPage<T>(page, hasMore, hasMore ? Paging.Encode(scope, next) : null);
    }

    private static ApiError? CheckEnum(string value, string[] allowed, string param) =>
        value.Length == 0 || Array.IndexOf(allowed, value) >= 0
            ? null
            : ApiError.InvalidParameter($"'{param}' must be one of: {string.Join(", ", allowed)}.", param);
}
