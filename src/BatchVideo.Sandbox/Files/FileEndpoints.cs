using BatchVideo.Sandbox.Api;
using BatchVideo.Sandbox.Videos;
using Microsoft.Net.Http.Headers;

namespace BatchVideo.Sandbox.Files;

/// <summary>
/// <c>GET /files/{file}</c>: the presigned downloads behind <c>video_url</c> and friends. Like a real
/// storage bucket it needs no API key, only a valid signature; Range requests are honoured.
/// </summary>
internal sealed class FileEndpoints(TimeProvider time, VideoStore store, SignedUrls urls)
{
    private static readonly ApiError FileNotFound = ApiError.NotFound("not_found", "File not found.");

    private static readonly ApiError BadSignature = new(
        StatusCodes.Status403Forbidden,
        "forbidden",
        "The link's signature is invalid or has expired. Fetch the video again for a fresh link.");

    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapMethods("/files/{file}", [HttpMethods.Get, HttpMethods.Head], new RequestDelegate(DownloadAsync))
            .WithMetadata(RouteTag.File);

    private Task DownloadAsync(HttpContext context)
    {
        var fileName = (string)context.Request.RouteValues["file"]!;
        if (!MediaFile.TryParse(fileName, out var file))
            return ApiResponses.WriteErrorAsync(context, FileNotFound);

        var now = time.GetUtcNow();
        var query = context.Request.Query;
        if (!urls.IsValid(fileName, query["expires"], query["signature"], now))
            return ApiResponses.WriteErrorAsync(context, BadSignature);

        // A valid signature was only ever issued for a completed video's own files; checked anyway.
        if (!store.TryGet(file.VideoId, out var video)
            || VideoLifecycle.StatusAt(video, now) != VideoStatus.Completed
            || !file.BelongsTo(video))
            return ApiResponses.WriteErrorAsync(context, FileNotFound);

        var contents = FakeMedia.Render(file, video);
        return TypedResults.Bytes(
                contents,
                file.ContentType,
                enableRangeProcessing: true,
                lastModified: video.FinishesAt,
                entityTag: new EntityTagHeaderValue($"\"{file.FileName}\""))
            .ExecuteAsync(context);
    }
}
