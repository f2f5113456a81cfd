using System.Runtime.CompilerServices;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Queries.GetJobReport;

/// <summary><c>GET /orchestrator/v1/jobs/{job-id}/report</c>: each node's state and events, nodes by name.</summary>
public sealed record GetJobReportQuery(long JobId) : IQuery<JobReportDto>;

public sealed class GetJobReportQueryHandler(IOrchestratorDbContext db, JobMapper mapper) : IQueryHandler<GetJobReportQuery, JobReportDto>
{
    public async ValueTask<JobReportDto> Handle(GetJobReportQuery query, CancellationToken cancellationToken)
    {
        await JobRules.EnsureExistsAsync(db, query.JobId, cancellationToken);

        // Not read here: the JSON writer enumerates the items as it writes them, so only one node's events are held.
        return new JobReportDto(Items(Rows(db, query.JobId).AsAsyncEnumerable()));
    }

    /// <summary>
    /// One row per node and event (a node without events once, with no event), ordered by node name and id, then
    /// event id: each node's rows are consecutive and its events oldest first.
    /// </summary>
    public static IQueryable<ReportRow> Rows(IOrchestratorDbContext db, long jobId) =>
        from n in db.JobNodes.AsNoTracking().Where(n => n.JobId == jobId)
        join e in db.NodeEvents.AsNoTracking().Where(e => e.JobId == jobId) on (long?)n.Id equals e.NodeId into events
        from e in events.DefaultIfEmpty()
        orderby n.Name, n.Id, e.Id
        select new ReportRow(n.Id, n.Name, n.State, n.Timestamp, e);

    /// <summary>Groups consecutive rows of one node into a report item.</summary>
    private async IAsyncEnumerable<JobReportItemDto> Items(
        IAsyncEnumerable<ReportRow> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ReportRow? node = null;
        var events = new List<EventDto>();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (node is not null && row.NodeId != node.NodeId)
            {
                yield return mapper.ToReportItem(node, events);
                events = [];
            }

            node = row;
            if (row.Event is not null)
                events.Add(EventMapper.ToDto(row.Event));
        }

        if (node is not null)
            yield return mapper.ToReportItem(node, events);
    }
}

/// <summary>A node of the report with one of its events, or with none.</summary>
public sealed record ReportRow(long NodeId, string Name, NodeState State, DateTime? Timestamp, NodeEvent? Event);
