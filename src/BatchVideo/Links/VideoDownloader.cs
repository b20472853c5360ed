using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Links;

/// <summary>How a download ended.</summary>
/// <param name="Bytes">Bytes on disk at the end.</param>
/// <param name="Resumes">How many times it picked up where a broken transfer stopped.</param>
/// <param name="Problem">Why it failed; null on success.</param>
public sealed record DownloadResult(long Bytes, int Resumes, string? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// Streams a file from a presigned link to disk with one fixed buffer, whatever its size. The file is
/// written as <c>name.part</c> and renamed only once its length matches what the server announced
/// (Content-Length, or the total of Content-Range); a transfer that breaks is resumed with a Range
/// request from the bytes already on disk (guarded by If-Range, so a changed file starts over), also
/// across runs, since the part file stays.
/// </summary>
public sealed partial class VideoDownloader(HttpClient http, TimeProvider time, ILogger<VideoDownloader> logger)
{
    private const int BufferBytes = 128 * 1024;
    private const int MaxAttempts = 6;

    public async Task<DownloadResult> DownloadAsync(Uri url, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var part = path + ".part";
        var resumes = 0;
        EntityTagHeaderValue? etag = null;
        string? problem = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var offset = File.Exists(part) ? new FileInfo(part).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
                if (etag is not null)
                {
                    request.Headers.IfRange = new RangeConditionHeaderValue(etag);
                }
            }

            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                etag = response.Headers.ETag ?? etag;
                long? total;
                FileMode mode;
                switch (response.StatusCode)
                {
                    case HttpStatusCode.PartialContent when response.Content.Headers.ContentRange is { From: { } from, Length: var announced } && from == offset:
                        total = announced;
                        mode = FileMode.Append;
                        resumes++;
                        break;
                    case HttpStatusCode.OK:
                        // The server ignored the range (or there was none): start over.
                        total = response.Content.Headers.ContentLength;
                        mode = FileMode.Create;
                        break;
                    case HttpStatusCode.RequestedRangeNotSatisfiable:
                        // The part file is as long as (or longer than) the file: only a fresh start is safe.
                        File.Delete(part);
                        problem = "the server refused the resume range; starting over";
                        continue;
                    default:
                        return new DownloadResult(offset, resumes, $"{(int)response.StatusCode} {response.ReasonPhrase} from {url.Host}");
                }

                await using (var file = new FileStream(part, mode, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
                {
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    await CopyAsync(body, file, ct);
                }

                var length = new FileInfo(part).Length;
                if (total is { } expected && length != expected)
                {
                    problem = $"got {length} of {expected} bytes";
                    if (length > expected)
                    {
                        File.Delete(part);
                    }

                    continue;
                }

                File.Move(part, path, overwrite: true);
                return new DownloadResult(length, resumes, null);
            }
            catch (Exception e) when ((e is HttpRequestException or IOException) && !ct.IsCancellationRequested)
            {
                // The connection broke mid-file: what reached the disk stays, the next attempt resumes from it.
                problem = e.Message;
                LogInterrupted(logger, url.Host, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), time, ct);
            }
        }

        return new DownloadResult(File.Exists(part) ? new FileInfo(part).Length : 0, resumes, $"gave up after {MaxAttempts} attempts: {problem}");
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(0, BufferBytes), ct)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Download from {Host} broke off (attempt {Attempt}): {Reason}; resuming")]
    private static partial void LogInterrupted(ILogger logger, string host, int attempt, string reason);
}
