using Microsoft.Extensions.Logging;

namespace BatchVideo.Tests.Support;

/// <summary>
/// Appends BatchVideo's debug log of in-process runs to a file when <c>BATCHVIDEO_TEST_TRACE</c> names one:
/// a test that is slow or stuck then shows what each row waited for. Off unless the variable is set.
/// </summary>
internal sealed class TraceFileLoggerProvider(string path) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public static string? PathFromEnvironment => Environment.GetEnvironmentVariable("BATCHVIDEO_TEST_TRACE");

    public ILogger CreateLogger(string categoryName) => new TraceLogger(path, categoryName);

    public void Dispose()
    {
    }

    private sealed class TraceLogger(string path, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug && category.StartsWith("BatchVideo", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            lock (Gate)
            {
                File.AppendAllText(path, $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name}\n");
            }
        }
    }
}
