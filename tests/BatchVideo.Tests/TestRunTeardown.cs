using BatchVideo.Tests.Support;

namespace BatchVideo.Tests;

/// <summary>Stops the shared PostgreSQL server once every test has run.</summary>
[SetUpFixture]
public sealed class TestRunTeardown
{
    [OneTimeTearDown]
    public void StopServers() => PostgresServer.StopShared();
}
