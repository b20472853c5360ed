namespace BatchVideo.Campaigns;

/// <summary>
/// Stops a run whose rows keep failing for the same reason: after <c>threshold</c> consecutive row
/// failures with one error code, more of the same is far likelier than a change of luck, and each
/// attempt may cost credits. A row that completes, or a failure with another code, starts the count
/// again. Rows not yet sent stay pending, so nothing is lost by stopping.
/// </summary>
internal sealed class FailureBreaker(int threshold, Action<string> stop)
{
    private readonly Lock gate = new();
    private string? code;
    private int streak;
    private bool tripped;

    /// <summary>A row completed: the failures were not systematic after all.</summary>
    public void OnSuccess()
    {
        lock (gate)
        {
            code = null;
            streak = 0;
        }
    }

    /// <summary>A row failed with <paramref name="errorCode"/>; trips (once) when the streak reaches the threshold.</summary>
    public void OnFailure(string errorCode, string message)
    {
        if (threshold <= 0)
        {
            return;
        }

        lock (gate)
        {
            if (string.Equals(code, errorCode, StringComparison.Ordinal))
            {
                streak++;
            }
            else
            {
                code = errorCode;
                streak = 1;
            }

            if (tripped || streak < threshold)
            {
                return;
            }

            tripped = true;
        }

        stop($"circuit breaker: {threshold} rows in a row failed with {errorCode} (last: {message}); stopped before paying for more of the same. Rows not sent stay pending: fix the cause and run again.");
    }
}
