using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Orchestrator.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>A smoke test that EF Core can write every handler query for SQLite; the handler tests run them.</summary>
public sealed class SqliteSqlTests
{
    private static SqliteOrchestratorDbContext Context() =>
        new(new DbContextOptionsBuilder<SqliteOrchestratorDbContext>()
            .UseSqlite("Data Source=:memory:", sql => sql.UseParameterizedCollectionMode(DependencyInjection.CollectionMode)).Options);

    [Test]
    public void Every_handler_query_has_sql()
    {
        using var context = Context();

        var sql = HandlerQueries.All(context).Select(q => (q.Name, Sql: q.Query.ToQueryString())).ToList();

        Assert.That(sql.Where(q => !q.Sql.Contains("SELECT", StringComparison.Ordinal)).Select(q => q.Name), Is.Empty);
    }

    [Test]
    public void Duration_order_uses_julianday()
    {
        using var context = Context();

        var sql = HandlerQueries.Named(context, "nodes: page by Duration Asc").ToQueryString();

        Assert.That(sql, Does.Contain("julianday(").And.Contain("86400.0"));
    }

    [Test]
    public void Migration_script_can_be_generated()
    {
        using var context = Context();

        var script = context.GetService<IMigrator>().GenerateScript();

        Assert.That(script, Does.Contain("CREATE TABLE \"Jobs\""));
    }
}
