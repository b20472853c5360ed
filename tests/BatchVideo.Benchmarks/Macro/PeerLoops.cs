using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// What simple HeyGen scripts do, for comparison: send a create, then ask for its status every few seconds
/// until it is done, one video at a time (<c>workers = 1</c>) or a fixed few at a time (3 is the default of the
/// strongest open-source peer). A 429 waits its Retry-After and tries again. Times are on the scaled clock.
/// </summary>
internal static class PeerLoops
{
    /// <summary>How often the peers ask for a video's status (HeyGen's own examples wait 5 s between checks).</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="rows"/> videos; the number of 429s received.</summary>
    public static async Task<long> RunAsync(Uri sandbox, int rows, int workers, ScaledTime time, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = sandbox };
        http.DefaultRequestHeaders.Add("x-api-key", "peer-key");
        long refused = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, rows), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, async (row, token) =>
        {
            string id;
            while (true)
            {
                using var response = await http.PostAsJsonAsync(
                    "v3/videos",
                    new { type = "avatar", avatar_id = "sandbox_avatar_anna", voice_id = "sandbox_voice_en_warm", title = $"peer {row}", script = $"Hi Name{row}! Here is a short video for Company {row}, Inc." },
                    token);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), time, token);
                    continue;
                }

                response.EnsureSuccessStatusCode();
                using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
                id = created.RootElement.GetProperty("data").GetProperty("video_id").GetString()!;
                break;
            }

            while (true)
            {
                await Task.Delay(PollEvery, time, token);
                using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri($"v3/videos/{id}", UriKind.Relative), token));
                if (status.RootElement.GetProperty("data").GetProperty("status").GetString() is "completed" or "failed")
                {
                    break;
                }
            }
        });
        return refused;
    }
}
