namespace BatchVideo.Sandbox.Api;

/// <summary>
/// Endpoint metadata telling the gate what a route is: which counters it feeds and whether it sits
/// behind the API key, the fault dice and the rate limiter (only <c>/v3</c> routes do).
/// </summary>
internal sealed class RouteTag
{
    private RouteTag(bool isApi) => IsApi = isApi;

    public bool IsApi { get; }

    public static readonly RouteTag CreateVideo = new(isApi: true);
    public static readonly RouteTag GetVideo = new(isApi: true);
    public static readonly RouteTag Api = new(isApi: true);
    public static readonly RouteTag File = new(isApi: false);
    public static readonly RouteTag Public = new(isApi: false);
}
