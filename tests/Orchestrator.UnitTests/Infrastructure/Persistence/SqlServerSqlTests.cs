using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Orchestrator.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>
/// SQL Server's SQL, checked without a server: EF Core writes each handler query and the migration script,
/// and the T-SQL parser of SQL Server 2022 must accept every word of it.
/// </summary>
public sealed class SqlServerSqlTests
{
    private const string NeverOpened = "Server=localhost;Database=x;Integrated Security=true;TrustServerCertificate=true";

    private static SqlServerOrchestratorDbContext Context() =>
        new(new DbContextOptionsBuilder<SqlServerOrchestratorDbContext>()
            .UseSqlServer(NeverOpened, sql => sql.UseParameterizedCollectionMode(DependencyInjection.CollectionMode)).Options);

    public static IEnumerable<TestCaseData> QueryNames()
    {
        using var context = Context();
        return HandlerQueries.All(context).Select(q => new TestCaseData(q.Name).SetArgDisplayNames(q.Name)).ToArray();
    }

    private static IList<ParseError> Parse(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors;
    }

    private static string Describe(IEnumerable<ParseError> errors, string sql) =>
        string.Join("\n", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")) + "\n---\n" + sql;

    [Test]
    public void The_parser_rejects_sql_server_does_not_speak() =>
        Assert.That(Parse("SELECT [j].[Id] FROM [Jobs] AS [j] ORDER BY [j].[Id] LIMIT 10"), Is.Not.Empty);

    [TestCaseSource(nameof(QueryNames))]
    public void Handler_query_is_valid_t_sql(string name)
    {
        using var context = Context();
        var sql = HandlerQueries.Named(context, name).ToQueryString();

        var errors = Parse(sql);

        Assert.That(errors, Is.Empty, () => Describe(errors, sql));
    }

    [Test]
    public void Duration_order_uses_datediff_big_in_milliseconds()
    {
        using var context = Context();
        var sql = HandlerQueries.Named(context, "nodes: page by Duration Desc").ToQueryString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sql, Does.Contain("DATEDIFF_BIG(millisecond, "));
            Assert.That(sql, Does.Contain("/ 1000.0"));
            Assert.That(sql, Does.Contain("ORDER BY"));
        }
    }

    [Test]
    public void Filters_are_parameters_not_spliced_text()
    {
        using var context = Context();
        var sql = HandlerQueries.Named(context, "list jobs: page by Owner Asc").ToQueryString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sql, Does.Contain("DECLARE @Task_contains nvarchar(255) = N'%package%';"));
            Assert.That(sql, Does.Contain("LIKE @Task_contains"));
            Assert.That(sql.Split("SELECT", 2)[1], Does.Not.Contain("package"));
        }
    }

    [Test]
    public void Idempotent_migration_script_is_valid_t_sql()
    {
        using var context = Context();
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var errors = Parse(script);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors, Is.Empty, () => Describe(errors, script));
            Assert.That(script, Does.Contain("CREATE TABLE [Jobs]"));
            Assert.That(script, Does.Contain("__EFMigrationsHistory"));
        }
    }
}
