using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>Inputs reach SQL only as parameters; orderings only as the whitelisted columns of a switch.</summary>
public sealed class SqlInjectionTests
{
    private const string Hostile = "x' OR 1=1; DROP TABLE \"Jobs\"; --";

    [Test]
    public void Text_filters_are_parameters_never_sql_text()
    {
        using var context = new SqlServerOrchestratorDbContext(new DbContextOptionsBuilder<SqlServerOrchestratorDbContext>()
            .UseSqlServer("Server=localhost;Database=x;Integrated Security=true;TrustServerCertificate=true").Options);
        var query = new ListJobsQuery { Task = Hostile, Owner = Hostile, Environment = Hostile, State = [JobState.Running] };

        var sql = ListJobsQueryHandler.Page(context.Jobs.AsNoTracking(), query with { OrderBy = JobOrderBy.Owner, Order = SortOrder.Desc }, 20).ToQueryString();
        // ToQueryString declares each parameter with its value first; the statement itself must not contain it.
        var statement = string.Join('\n', sql.Split('\n').Where(line => !line.StartsWith("DECLARE", StringComparison.Ordinal)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(statement, Does.Not.Contain("OR 1=1"));
            Assert.That(statement, Does.Not.Contain("DROP"));
            Assert.That(statement, Does.Contain("@"));
            Assert.That(statement, Does.Contain("ORDER BY [j].[OwnerLogin] DESC, [j].[Id] DESC"));
        }
    }

    [Test]
    public void Every_ordering_is_a_known_column()
    {
        using var context = new SqlServerOrchestratorDbContext(new DbContextOptionsBuilder<SqlServerOrchestratorDbContext>()
            .UseSqlServer("Server=localhost;Database=x;Integrated Security=true;TrustServerCertificate=true").Options);
        string[] columns = ["[j].[Timestamp]", "[j].[OwnerLogin]", "[j].[EnvironmentName]", "[j].[Id]", "[j].[State]"];

        foreach (var orderBy in Enum.GetValues<JobOrderBy>())
        {
            var sql = ListJobsQueryHandler.Order(context.Jobs, orderBy, SortOrder.Asc).ToQueryString();
            var orderClause = sql[sql.IndexOf("ORDER BY", StringComparison.Ordinal)..];
            Assert.That(columns.Any(orderClause.Contains), Is.True, $"{orderBy}: {orderClause}");
        }
    }
}
