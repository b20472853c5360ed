using Polly;

namespace BatchVideo.HeyGen;

/// <summary>
/// Puts <see cref="HeyGenOutage"/> in the HeyGen pipeline, between the retry and the rate limiter: every attempt
/// first passes the circuit (waiting there spends no retry, no rate token and no attempt time), and its outcome
/// tells the circuit whether HeyGen was reached.
/// </summary>
internal sealed class OutageGateStrategy(HeyGenOutage outage) : ResilienceStrategy<HttpResponseMessage>
{
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(context);
        bool probe;
        try
        {
            probe = await outage.EnterAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (Exception e) when (e is HeyGenUnreachableException or OperationCanceledException)
        {
            return Outcome.FromException<HttpResponseMessage>(e);
        }

        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (Exception e)
        {
            outcome = Outcome.FromException<HttpResponseMessage>(e);
        }

        switch (outcome.Exception)
        {
            case null:
                outage.Reached();
                break;
            case HttpRequestException:
                outage.Unreachable(probe);
                break;
            default:
                // A timeout or a cancellation says nothing either way.
                outage.Abandoned(probe);
                break;
        }

        return outcome;
    }
}

/// <summary>The gate takes its settings from <see cref="HeyGenOutage"/>; Polly asks for an options object.</summary>
internal sealed class OutageGateOptions : ResilienceStrategyOptions
{
    public OutageGateOptions() => Name = "HeyGenOutage";
}
