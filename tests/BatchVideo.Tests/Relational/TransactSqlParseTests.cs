using System.Text.RegularExpressions;
using BatchVideo.Databases;
using BatchVideo.Ledger;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace BatchVideo.Tests.Relational;

/// <summary>
/// SQL Server cannot run here, so every T-SQL statement BatchVideo can send is parsed by Microsoft's own
/// T-SQL parser, with names quoted as the code quotes them, hostile ones included.
/// </summary>
[TestFixture]
public sealed partial class TransactSqlParseTests
{
    // Dapper turns "IN @Keys" into "IN (@Keys1, @Keys2, ...)" before SQL Server sees it.
    [GeneratedRegex(@"IN @(\w+)")]
    private static partial Regex DapperList();

    private static IEnumerable<TestCaseData> LedgerStatements() =>
        new SqlServerLedgerDialect().AllStatements.Select((sql, i) => new TestCaseData(sql).SetArgDisplayNames($"ledger #{i}"));

    // The speech-preview cache's statements (migration 11 is among the dialect's own).
    private static IEnumerable<TestCaseData> SpeechPreviewStatements() =>
        SpeechPreviewSql.For(EngineKind.SqlServer).AllStatements.Select((sql, i) => new TestCaseData(sql).SetArgDisplayNames($"speech previews #{i}"));

    private static IEnumerable<TestCaseData> TableStatements()
    {
        string[] names = ["Contacts", "Contacts]; DROP TABLE x;--", "Kontakte [alt]", "o'brien"];
        foreach (var name in names)
        {
            var schema = TableSchema.Describe("crm", name,
            [
                new("id", "int", null),
                new("first name", "nvarchar", 100),
                new("video_id", "nvarchar", 64),
                new("video_status", "nvarchar", 32),
                new("video_url]x", "nvarchar", -1),
                new("video_updated_at", "datetime2", null),
                new("page [url]", "nvarchar", -1),
                new("views", "int", null),
                new("first_viewed_at", "datetime2", null),
                new("email_html", "nvarchar", -1),
            ]);
            var options = new TableSourceOptions { Table = "crm." + name, Filter = "[first name] <> N'x'", UpdatedAtColumn = "video_updated_at" };
            var columns = new WriteBackColumns { Url = "video_url]x", Page = "page [url]", Views = "views", FirstViewedAt = "first_viewed_at", EmailHtml = "email_html" };
            var source = SqlTableSource.ForSchema(DatabaseEngine.SqlServer, schema, options, "id", columns);
            foreach (var (sql, i) in source.Statements.Select((s, i) => (s, i)))
            {
                yield return new TestCaseData(sql).SetArgDisplayNames($"table '{name}' #{i}");
            }
        }
    }

    [TestCaseSource(nameof(LedgerStatements))]
    [TestCaseSource(nameof(TableStatements))]
    [TestCaseSource(nameof(SpeechPreviewStatements))]
    public void Statement_parses_as_TSql(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(DapperList().Replace(sql, "IN (@${1}1, @${1}2)"));

        var fragment = parser.Parse(reader, out var errors);

        Assert.That(errors.Select(e => $"line {e.Line}, col {e.Column}: {e.Message}"), Is.Empty, sql);
        Assert.That(fragment, Is.Not.Null);
    }

    [Test]
    public void Hostile_name_stays_one_identifier()
    {
        var quoted = DatabaseEngine.SqlServer.Quote("Contacts]; DROP TABLE x;--");
        var parser = new TSql160Parser(true);

        var script = (TSqlScript)parser.Parse(new StringReader($"SELECT * FROM crm.{quoted}"), out var errors);

        Assert.That(errors, Is.Empty);
        Assert.That(script.Batches.Single().Statements, Has.Count.EqualTo(1), "the name must not break out into a second statement");
        Assert.That(quoted, Is.EqualTo("[Contacts]]; DROP TABLE x;--]"));
    }
}
