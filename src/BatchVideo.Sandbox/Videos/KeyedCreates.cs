using BatchVideo.Sandbox.Api;

namespace BatchVideo.Sandbox.Videos;

/// <summary>
/// What every paid create shares around its own work: the <c>Idempotency-Key</c> (claim, 409 while in flight,
/// replay of the stored answer, a freed key after an error), the hang and lost-answer faults. The create
/// itself is given per call and returns the error to send or the success body to store and send.
/// </summary>
internal sealed class KeyedCreates(
    SandboxOptions options,
    SandboxStats stats,
    IdempotencyStore idempotency,
    FaultInjector faults,
    CancellationToken stopping)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly byte[] InProgressBody = ApiResponses.Serialize(ApiError.RequestInProgress);

    private static readonly ApiError BadIdempotencyKey = ApiError.InvalidParameter(
        "Idempotency-Key must be 1 to 255 characters from A-Z, a-z, 0-9, '_', '-', ':' and '.'.", IdempotencyKeyHeader);

    private int created; // successful creates so far, over every create route, for DropAnswerToCreates

    /// <summary>The work of one create: the request's key (or null) in, the error (with Retry-After) or the success body out.</summary>
    public delegate Task<(ApiError? Error, int? RetryAfter, byte[]? Response)> Create(HttpContext context, string? key);

    /// <summary>Runs <paramref name="create"/> under the request's key.</summary>
    /// <param name="scope">The key as stored, from the key sent (a key's scope is its endpoint); null: the endpoint ignores keys.</param>
    public async Task HandleAsync(HttpContext context, Func<string, string?> scope, Create create)
    {
        string? key = null;
        if (context.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var keyValues))
        {
            if (keyValues.Count != 1 || !IdempotencyStore.IsValidKey(keyValues[0]))
            {
                await ApiResponses.WriteErrorAsync(context, BadIdempotencyKey);
                return;
            }

            key = keyValues[0]!;
        }

        var scoped = key is null ? null : scope(key);
        IdempotencyStore.Entry? claim = null;
        if (scoped is not null)
        {
            var lookup = idempotency.Begin(scoped);
            switch (lookup.Outcome)
            {
                case IdempotencyOutcome.InProgress:
                    stats.CountInProgressConflict();
                    await ApiResponses.WriteBytesAsync(context, StatusCodes.Status409Conflict, InProgressBody);
                    return;
                case IdempotencyOutcome.Replay:
                    stats.CountIdempotentReplay();
                    await ApiResponses.WriteBytesAsync(context, lookup.StatusCode, lookup.Response!);
                    return;
                case IdempotencyOutcome.Claimed:
                default:
                    claim = lookup.Claim;
                    break;
            }
        }

        var settled = false; // true once the claim is completed or abandoned
        try
        {
            var (error, retryAfter, response) = await create(context, key);
            if (response is null)
            {
                // By default errors are not replayed: free the key before answering, so a prompt retry is not
                // told 409. The other reading stores a 4xx refusal (not a 429, which never ran) as the answer.
                if (claim is not null && options.IdempotencyReplaysErrors && error!.StatusCode is >= 400 and < 500 and not 429)
                {
                    idempotency.Complete(scoped!, claim, ApiResponses.Serialize(error), error.StatusCode);
                }
                else if (claim is not null)
                {
                    idempotency.Abandon(scoped!, claim);
                }

                settled = true;
                await ApiResponses.WriteErrorAsync(context, error!, retryAfter);
                return;
            }

            if (faults.NextCreateHangs())
            {
                stats.CountInjectedFault();
                await HoldAsync();
            }

            // Recorded before the answer goes out: if the client gave up while we hung, its retry
            // must find the video, not make another.
            if (claim is not null)
            {
                idempotency.Complete(scoped!, claim, response);
            }

            settled = true;
            if (options.DropAnswerToCreates.Contains(Interlocked.Increment(ref created)))
            {
                // The video exists; its answer is lost on the way (the client sees a broken connection).
                stats.CountInjectedFault();
                context.Abort();
                return;
            }

            await ApiResponses.WriteBytesAsync(context, StatusCodes.Status200OK, response);
        }
        finally
        {
            if (claim is not null && !settled)
            {
                idempotency.Abandon(scoped!, claim);
            }
        }
    }

    /// <summary>The hang fault: the video exists, the answer is late. Shutdown cuts the wait short.</summary>
    private async Task HoldAsync()
    {
        try
        {
            await Task.Delay(options.HangDuration, options.TimeProvider, stopping);
        }
        catch (OperationCanceledException)
        {
            // Server stopping: answer now rather than hold shutdown up.
        }
    }
}
