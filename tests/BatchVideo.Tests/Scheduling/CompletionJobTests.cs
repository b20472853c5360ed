using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BatchVideo.Cli;
using BatchVideo.Ledger;
using BatchVideo.Scheduling;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Tests.Scheduling;

/// <summary>
/// serve's completion job over the table campaigns of its configuration: a campaign that has never sent a row
/// is not opened (its table may not exist yet, as the sample's crm-nightly), one that has is.
/// </summary>
[TestFixture]
public sealed class CompletionJobTests
{
    [Test]
    public async Task A_table_campaign_with_nothing_in_the_ledger_is_not_opened_and_logs_nothing_until_it_has_sent()
    {
        using var folder = new TempFolder();
        folder.Write("welcome.sbn", "Hi {{ first_name }}");
        // The CRM database is there, its table is not: opening the campaign would fail.
        folder.WriteBytes("crm.db", []);
        var config = new JsonObject
        {
            ["Campaigns"] = new JsonObject
            {
                ["crm-nightly"] = new JsonObject
                {
                    ["Template"] = "welcome.sbn",
                    ["AvatarId"] = "sandbox_avatar_anna",
                    ["VoiceId"] = "sandbox_voice_en_warm",
                    ["KeyColumn"] = "id",
                    ["Source"] = new JsonObject { ["Engine"] = "sqlite", ["ConnectionString"] = "Data Source=crm.db", ["Table"] = "contacts" },
                },
            },
            ["HeyGen"] = new JsonObject { ["BaseUrl"] = "http://127.0.0.1:9/", ["ApiKey"] = "test-key" },
            ["Ledger"] = new JsonObject { ["ConnectionString"] = "Data Source=ledger.db" },
        };
        var path = folder.Write("appsettings.json", config.ToJsonString());
        var (configuration, baseDirectory) = CliConfiguration.Load(path, new Dictionary<string, string?>());
        var logs = new RecordingLoggerProvider();
        await using var services = new ServiceCollection()
            .AddLogging(l => l.AddProvider(logs))
            .AddBatchVideo(configuration, baseDirectory)
            .AddBatchVideoScheduling(configuration, runJobs: false)
            .AddTransient<CompletionJob>()
            .BuildServiceProvider();
        var ledger = services.GetRequiredService<LedgerStore>();
        await ledger.MigrateAsync(CancellationToken.None);

        await services.GetRequiredService<CompletionJob>().Execute(null!, CancellationToken.None);
        var quiet = logs.Errors.ToList();
        await ledger.TryBeginSubmissionAsync("crm-nightly", "17", "idem-17", "marker-17", CancellationToken.None);
        await services.GetRequiredService<CompletionJob>().Execute(null!, CancellationToken.None);

        Assert.That(await ledger.HasEntriesAsync("crm-nightly", CancellationToken.None), Is.True);
        Assert.That(await ledger.HasEntriesAsync("other", CancellationToken.None), Is.False);
        Assert.That(quiet, Is.Empty, "a campaign that never sent a row is not opened");
        Assert.That(logs.Errors, Has.One.Contains("Completion pass for crm-nightly failed"), "once it has sent, its table is opened every pass, and a missing one is an error");
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(this);

        public void Dispose()
        {
        }

        private sealed class Recorder(RecordingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    provider.Errors.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
