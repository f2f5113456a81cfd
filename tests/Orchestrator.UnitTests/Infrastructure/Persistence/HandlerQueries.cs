using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Application.Jobs.Queries.GetJobEvents;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Application.Jobs.Queries.GetJobReport;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;

using Orchestrator.Infrastructure.Persistence;
using Orchestrator.UnitTests.TestSupport;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>
/// Every query the handlers send, built from the handlers' own public pieces (Filter, Order, Page, the
/// Mapperly projection) where they expose them, and as the same LINQ shape where the handler keeps it inline.
/// Terminal operators (CountAsync, AnyAsync, FirstOrDefaultAsync) have no query text, so their shapes are written as a SELECT.
/// </summary>
public static class HandlerQueries
{
    private static readonly DateTime Instant = new(2016, 5, 20, 16, 45, 31, DateTimeKind.Utc);

    public static IEnumerable<(string Name, IQueryable Query)> All(IOrchestratorDbContext db)
    {
        var allFilters = new ListJobsQuery
        {
            Type = JobType.Task, Task = "package", MinFinishTimestamp = Instant, MaxFinishTimestamp = Instant.AddDays(1),
        };

        yield return ("list jobs: count",
            ListJobsQueryHandler.Filter(db.Jobs.AsNoTracking(), allFilters).GroupBy(j => 1).Select(g => g.Count()));
        foreach (var orderBy in Enum.GetValues<JobOrderBy>())
        {
            foreach (var order in Enum.GetValues<SortOrder>())
            {
                var query = allFilters with { OrderBy = orderBy, Order = order, Offset = 10 };
                yield return ($"list jobs: page by {orderBy} {order}", ListJobsQueryHandler.Page(db.Jobs.AsNoTracking(), query, 20));
            }
        }

        // The name filters of the mixed-case fixture (tests/Orchestrator.FunctionalTests/TestData/mixed-case.json).
        var names = new ListJobsQuery { Owner = "brian", Environment = "Production", Task = "Package" };
        yield return ("list jobs: count by owner, environment and task",
            ListJobsQueryHandler.Filter(db.Jobs.AsNoTracking(), names).GroupBy(j => 1).Select(g => g.Count()));
        yield return ("list jobs: page by owner, environment and task", ListJobsQueryHandler.Page(db.Jobs.AsNoTracking(), names, 20));

        yield return ("list jobs: unfiltered page", ListJobsQueryHandler.Page(db.Jobs.AsNoTracking(), new ListJobsQuery(), 1000));

        List<long> ids = [1, 2, 3];
        var context = (OrchestratorDbContext)db;
        yield return ("job documents: node states", CompiledStatements.NodeStateCounts.Compile()(context, ids));
        yield return ("job documents: statuses", CompiledStatements.StatusHistories.Compile()(context, ids));
        yield return ("get job: row", db.Jobs.AsNoTracking().Where(j => j.Id == 1234));
        yield return ("job exists", db.Jobs.Where(j => j.Id == 1).Select(j => 1).Take(1));

        yield return ("nodes: job and newest event",
            db.Jobs.AsNoTracking().Where(j => j.Id == 1).Select(j => new { NewestEventId = j.Events.Max(e => (long?)e.Id) }).Take(1));
        var mapper = SqliteTestDatabase.Mapper();
        foreach (var orderBy in Enum.GetValues<NodeOrderBy>())
        {
            foreach (var order in Enum.GetValues<SortOrder>())
            {
                var query = new GetJobNodesQuery(1) { OrderBy = orderBy, Order = order, State = NodeState.Running, Limit = 10, Offset = 5 };
                yield return ($"nodes: page by {orderBy} {order}", mapper.ProjectToDto(GetJobNodesQueryHandler.Page(db.JobNodes.AsNoTracking(), query, Instant)));
            }
        }

        yield return ("nodes: every node", mapper.ProjectToDto(GetJobNodesQueryHandler.Page(db.JobNodes.AsNoTracking(), new GetJobNodesQuery(1), Instant)));

        yield return ("events: from start", GetJobEventsQueryHandler.Page(db.NodeEvents.AsNoTracking(), new GetJobEventsQuery(1) { Start = 1272 }, 1000));

        yield return ("report: nodes and their events", GetJobReportQueryHandler.Rows(db, 1));
    }

    public static IQueryable Named(IOrchestratorDbContext db, string name) => All(db).Single(q => q.Name == name).Query;
}
