using BatchVideo.Tests.Support;

namespace BatchVideo.Tests;

/// <summary>Composes what the application composes at start (Dapper's mapping); stops the shared PostgreSQL server once every test has run.</summary>
[SetUpFixture]
public sealed class TestRunTeardown
{
    [OneTimeSetUp]
    public void Compose() => BatchVideoServices.ConfigureDapper();

    [OneTimeTearDown]
    public void StopServers() => PostgresServer.StopShared();
}
