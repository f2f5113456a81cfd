using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Common.Persistence;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Application.Jobs.Queries.GetJobEvents;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Application.Jobs.Queries.GetJobReport;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>
/// Every query the handlers send, built from the handlers' own public pieces (Filter, Order, Page, the
/// Mapperly projections) where they expose them, and as the same LINQ shape where the handler keeps it inline.
/// Terminal operators (CountAsync, AnyAsync) have no query text, so their shapes are written as a SELECT.
/// </summary>
public static class HandlerQueries
{
    private static readonly DateTime Instant = new(2016, 5, 20, 16, 45, 31, DateTimeKind.Utc);

    public static IEnumerable<(string Name, IQueryable Query)> All(IOrchestratorDbContext db)
    {
        var context = db.Context();
        var allFilters = new ListJobsQuery
        {
            Type = JobType.Task, Task = "package", MinFinishTimestamp = Instant, MaxFinishTimestamp = Instant.AddDays(1),
        };

        yield return ("list jobs: count",
            ListJobsQueryHandler.Filter(db.Jobs.AsNoTracking(), JobPageArgs.Of(allFilters, 20))
                .GroupBy(j => 1).Select(g => g.Count()));
        foreach (var orderBy in Enum.GetValues<JobOrderBy>())
        {
            foreach (var order in Enum.GetValues<SortOrder>())
            {
                var args = JobPageArgs.Of(allFilters with { OrderBy = orderBy, Order = order, Offset = 10 }, 20);
                yield return ($"list jobs: page by {orderBy} {order}", ListJobsQueryHandler.PageRows.Query(context, args));
            }
        }

        // The name filters of the mixed-case fixture (tests/Orchestrator.FunctionalTests/TestData/mixed-case.json).
        var names = JobPageArgs.Of(new ListJobsQuery { Owner = "brian", Environment = "Production", Task = "Package" }, 20);
        yield return ("list jobs: count by owner, environment and task",
            ListJobsQueryHandler.Filter(db.Jobs.AsNoTracking(), names).GroupBy(j => 1).Select(g => g.Count()));
        yield return ("list jobs: page by owner, environment and task", ListJobsQueryHandler.PageRows.Query(context, names));

        var unfiltered = JobPageArgs.Of(new ListJobsQuery(), 1000);
        yield return ("list jobs: unfiltered page", ListJobsQueryHandler.PageRows.Query(context, unfiltered));

        long[] ids = [1, 2, 3];
        yield return ("job documents: node states", JobDocuments.NodeStateCounts.Compile()(context, ids));
        yield return ("job documents: statuses", JobDocuments.Statuses.Compile()(context, ids));
        yield return ("get job: row", JobDocuments.OneJobRow.Compile()(context, 1234));
        yield return ("get job: node states", JobDocuments.OneJobNodeStateCounts.Compile()(context, 1234));
        yield return ("get job: statuses", JobDocuments.OneJobStatuses.Compile()(context, 1234));
        yield return ("job exists", db.Jobs.Where(j => j.Id == 1).Select(j => 1).Take(1));

        yield return ("nodes: job and newest event", GetJobNodesQueryHandler.JobAndNewestEvent.Compile()(context, 1));
        foreach (var orderBy in Enum.GetValues<NodeOrderBy>())
        {
            foreach (var order in Enum.GetValues<SortOrder>())
            {
                var args = NodePageArgs.Of(new GetJobNodesQuery(1) { OrderBy = orderBy, Order = order, State = NodeState.Running, Limit = 10, Offset = 5 }, Instant);
                yield return ($"nodes: page by {orderBy} {order}", GetJobNodesQueryHandler.PageRows.Query(context, args));
            }
        }

        var everyNode = NodePageArgs.Of(new GetJobNodesQuery(1), Instant);
        yield return ("nodes: every node", GetJobNodesQueryHandler.PageRows.Query(context, everyNode));

        yield return ("events: from start", GetJobEventsQueryHandler.Page.Compile()(context, 1, 1272, 1000));

        yield return ("report: nodes and their events", GetJobReportQueryHandler.Rows(db, 1));
    }

    public static IQueryable Named(IOrchestratorDbContext db, string name) => All(db).Single(q => q.Name == name).Query;
}
