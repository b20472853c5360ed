namespace BatchVideo.Tests.Support;

/// <summary>
/// The tests' way to the shared server: in CI (CI=true) a missing PostgreSQL fails the tests that need
/// it; elsewhere they are skipped with the reason.
/// </summary>
public sealed partial class PostgresServer
{
    /// <summary>The shared server, or fails (CI) / ignores (developer machine) the calling test.</summary>
    public static PostgresServer Shared
    {
        get
        {
            var server = SharedOrNull;
            if (server is not null)
            {
                return server;
            }

            var reason = $"PostgreSQL is needed for this test but {Unavailable}";
            if (IsCi)
            {
                Assert.Fail(reason + " (CI installs the Debian postgresql package in .ci/run)");
            }

            Assert.Ignore(reason + ". Install the Debian package postgresql to run it.");
            return null!;
        }
    }

    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false";
}
