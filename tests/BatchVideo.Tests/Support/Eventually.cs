namespace BatchVideo.Tests.Support;

/// <summary>Waits for something another process does, failing the test with an explanation when it does not happen in time.</summary>
public static class Eventually
{
    public static async Task HappensAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out: " + explain());
            }

            await Task.Delay(200);
        }
    }
}
