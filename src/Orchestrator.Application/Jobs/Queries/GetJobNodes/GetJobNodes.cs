using Mediator;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Common.Persistence;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;
using static Orchestrator.Application.Common.Persistence.OrchestratorDbFunctions;

namespace Orchestrator.Application.Jobs.Queries.GetJobNodes;

/// <summary>
/// <c>GET /orchestrator/v1/jobs/{job-id}/nodes</c>: the job's nodes with their results, and where its
/// events continue. Without <c>limit</c> every node is returned.
/// </summary>
public sealed record GetJobNodesQuery(long JobId) : IQuery<JobNodesDto>
{
    public int? Limit { get; init; }

    public int Offset { get; init; }

    public NodeOrderBy OrderBy { get; init; } = NodeOrderBy.Name;

    public SortOrder Order { get; init; } = SortOrder.Asc;

    public NodeState? State { get; init; }
}

public sealed class GetJobNodesQueryHandler(IOrchestratorDbContext db, JobMapper mapper)
    : IQueryHandler<GetJobNodesQuery, JobNodesDto>
{
    public async ValueTask<JobNodesDto> Handle(GetJobNodesQuery query, CancellationToken cancellationToken)
    {
        // One round trip answers both "does the job exist" and "where do its events continue".
        var job = await db.Jobs.AsNoTracking()
            .Where(j => j.Id == query.JobId)
            .Select(j => new { NewestEventId = j.Events.Max(e => (long?)e.Id) })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new UnknownJobException(query.JobId);

        // Not read here: the JSON writer enumerates the rows as it writes them, so no list of all nodes is held.
        var items = mapper.ProjectToDto(Page(db.JobNodes.AsNoTracking(), query, mapper.Now)).AsAsyncEnumerable();
        return new JobNodesDto(mapper.NextEvents(query.JobId, (job.NewestEventId ?? 0) + 1), items);
    }

    public static IQueryable<JobNode> Page(IQueryable<JobNode> nodes, GetJobNodesQuery query, DateTime now)
    {
        nodes = nodes.Where(n => n.JobId == query.JobId);
        if (query.State is not null)
            nodes = nodes.Where(n => n.State == query.State);
        nodes = Order(nodes, query.OrderBy, query.Order, now);
        if (query.Offset > 0)
            nodes = nodes.Skip(() => query.Offset);
        if (query.Limit is not null)
            nodes = nodes.Take(() => query.Limit.Value);
        return nodes;
    }

    /// <summary>Ties are broken by node id in the same direction, so pages never overlap.</summary>
    public static IQueryable<JobNode> Order(IQueryable<JobNode> nodes, NodeOrderBy orderBy, SortOrder order, DateTime now)
    {
        var descending = order == SortOrder.Desc;
        var sorted = orderBy switch
        {
            NodeOrderBy.Duration => Sort(nodes, n =>
                n.State == NodeState.Skipped || n.StartTimestamp == null ? null
                : n.FinishTimestamp != null ? SecondsBetween(n.StartTimestamp, n.FinishTimestamp)
                : n.State == NodeState.Running ? SecondsBetween(n.StartTimestamp, now)
                : null, descending),
            NodeOrderBy.State => Sort(nodes, n => n.State, descending),
            NodeOrderBy.StartTimestamp => Sort(nodes, n => n.StartTimestamp, descending),
            NodeOrderBy.FinishTimestamp => Sort(nodes, n => n.FinishTimestamp, descending),
            _ => Sort(nodes, n => n.Name, descending),
        };
        return descending ? sorted.ThenByDescending(n => n.Id) : sorted.ThenBy(n => n.Id);
    }

    private static IOrderedQueryable<JobNode> Sort<TKey>(
        IQueryable<JobNode> nodes, System.Linq.Expressions.Expression<Func<JobNode, TKey>> key, bool descending) =>
        descending ? nodes.OrderByDescending(key) : nodes.OrderBy(key);
}
