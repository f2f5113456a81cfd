using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;
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
    public void Name_filters_compare_ordinally()
    {
        // SQLite's LIKE ignores ASCII case; instr and = compare bytes, as SQL Server's BIN2 columns do.
        using var context = Context();

        var sql = HandlerQueries.Named(context, "list jobs: page by owner, environment and task").ToQueryString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sql, Does.Contain("instr(\"j0\".\"TaskName\", @query_Task) > 0"));
            Assert.That(sql, Does.Contain("\"j0\".\"OwnerLogin\" = @query_Owner"));
            Assert.That(sql, Does.Contain("\"j0\".\"EnvironmentName\" = @query_Environment"));
            Assert.That(sql, Does.Not.Contain("LIKE").And.Not.Contain("COLLATE"));
        }
    }

    [Test]
    public void The_model_keeps_sqlite_s_binary_collation()
    {
        using var context = Context();

        var annotated = context.GetService<IDesignTimeModel>().Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Where(p => p.GetCollation() is not null).Select(p => $"{e.GetTableName()}.{p.Name}"));

        Assert.That(annotated, Is.Empty);
    }

    [TestCase(1, ExpectedResult = 1)]
    [TestCase(2, ExpectedResult = 2)]
    public int One_state_pages_in_index_order(int states)
    {
        // SQLite reads "State IN (?)" as an equality and walks (State, Timestamp, Id) in order; a list of several
        // states (or one in json_each) needs a sort of every matching job before the page. The outer sort is the
        // 20 rows of the page.
        using var database = new TestSupport.SqliteTestDatabase();
        JobState[] all = [JobState.Failed, JobState.Stopped];
        var plan = Plan(ListJobsQueryHandler.Page(database.Context.Jobs.AsNoTracking(), new ListJobsQuery { State = all[..states] }, 20));

        Assert.That(plan, Has.Some.Contains("IX_Jobs_State_Timestamp_Id"), string.Join("\n", plan));
        return plan.Count(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Test]
    public void Owner_and_state_together_page_and_count_in_their_own_index()
    {
        using var database = new TestSupport.SqliteTestDatabase();
        var query = new ListJobsQuery { Owner = "brian", State = [JobState.Running], Order = SortOrder.Desc };

        var page = Plan(ListJobsQueryHandler.Page(database.Context.Jobs.AsNoTracking(), query, 20));
        var count = Plan(ListJobsQueryHandler.Filter(database.Context.Jobs.AsNoTracking(), query).GroupBy(j => 1).Select(g => g.Count()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page, Has.Some.Contains("IX_Jobs_OwnerLogin_State_Timestamp_Id (OwnerLogin=? AND State=?)"), string.Join("\n", page));
            Assert.That(page.Count(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal)), Is.EqualTo(1), "only the page's 20 rows are sorted");
            Assert.That(count, Has.Some.Contains("COVERING INDEX IX_Jobs_OwnerLogin_State_Timestamp_Id"), string.Join("\n", count));
        }
    }

    private static List<string> Plan(IQueryable query)
    {
        using var command = query.CreateDbCommand();
        command.Connection!.Open();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
            plan.Add(reader.GetString(3));
        return plan;
    }

    [Test]
    public void Migration_script_can_be_generated()
    {
        using var context = Context();

        var script = context.GetService<IMigrator>().GenerateScript();

        Assert.That(script, Does.Contain("CREATE TABLE \"Jobs\""));
    }
}
