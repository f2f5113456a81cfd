using System.Linq.Expressions;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Common.Persistence;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Application.Jobs.Queries.GetJobEvents;
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

    public int? Offset { get; init; }

    public NodeOrderBy? OrderBy { get; init; }

    public SortOrder? Order { get; init; }

    public NodeState? State { get; init; }
}

public sealed class GetJobNodesQueryHandler(IOrchestratorDbContext db, IJobLinks links, TimeProvider clock)
    : IQueryHandler<GetJobNodesQuery, JobNodesDto>
{
    public async ValueTask<JobNodesDto> Handle(GetJobNodesQuery query, CancellationToken cancellationToken)
    {
        // One round trip answers both "does the job exist" and "where do its events continue".
        var context = db.Context();
        var job = await JobWithNewestEvent.For(context)(context, query.JobId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new UnknownJobException(query.JobId);

        // Not read here: the JSON writer enumerates the rows as it writes them, so no list of all nodes is held.
        var items = PageRows.Run(context, NodePageArgs.Of(query, clock.GetUtcNow().UtcDateTime));

        var next = (job.NewestEventId ?? 0) + 1;
        return new JobNodesDto(GetJobEventsQueryHandler.NextEvents(links, query.JobId, next), items);
    }

    /// <summary>The job (null when there is none) with the id of its newest event (null when it has none).</summary>
    public static readonly Expression<Func<DbContext, long, IQueryable<JobEventsHead>>> JobAndNewestEvent =
        (db, jobId) => db.Set<Job>().AsNoTracking()
            .Where(j => j.Id == jobId)
            .Select(j => new JobEventsHead(j.Events.Max(e => (long?)e.Id)));

    private static readonly CompiledQuery<Func<DbContext, long, IAsyncEnumerable<JobEventsHead>>> JobWithNewestEvent =
        new(() => EF.CompileAsyncQuery(JobAndNewestEvent));

    /// <summary>The page's nodes: <see cref="Page"/> and <see cref="Project"/>, compiled once for each shape of page.</summary>
    public static readonly ShapedQuery<NodePageArgs, NodePageArgs.PageShape, JobNode, NodeDto> PageRows =
        new(args => args.Shape, (nodes, args) => Project(Page(nodes, args), args));

    /// <summary>The SELECT list: stored columns and the newest event id as a correlated MAX; the duration is computed from them.</summary>
    public static IQueryable<NodeDto> Project(IQueryable<JobNode> nodes, NodePageArgs args) =>
        nodes.Select(n => new NodeDto
        {
            Timestamp = n.Timestamp,
            StartTimestamp = n.StartTimestamp,
            FinishTimestamp = n.FinishTimestamp,
            State = n.State,
            TransactionUuid = n.TransactionUuid,
            Name = n.Name,
            Details = RawJson.From(n.DetailsJson),
            Result = RawJson.From(n.ResultJson),
            Transport = n.Transport,
            LatestEventId = n.Events.Max(e => (long?)e.Id),
            MeasuredAt = args.Now,
        });

    public static IQueryable<JobNode> Page(IQueryable<JobNode> nodes, NodePageArgs args)
    {
        nodes = nodes.Where(n => n.JobId == args.JobId);
        if (args.State is not null)
            nodes = nodes.Where(n => n.State == args.State);

        nodes = Order(nodes, args);
        if (args.Offset > 0)
            nodes = nodes.Skip(() => args.Offset);
        if (args.Limit is not null)
            nodes = nodes.Take(() => args.Limit.Value);
        return nodes;
    }

    /// <summary>Ties are broken by node id in the same direction, so pages never overlap.</summary>
    public static IQueryable<JobNode> Order(IQueryable<JobNode> nodes, NodePageArgs args)
    {
        var descending = args.Order == SortOrder.Desc;
        return args.OrderBy switch
        {
            NodeOrderBy.Duration => Then(Sort(nodes, n =>
                n.State == NodeState.Skipped || n.StartTimestamp == null ? null
                : n.FinishTimestamp != null ? SecondsBetween(n.StartTimestamp, n.FinishTimestamp)
                : n.State == NodeState.Running ? SecondsBetween(n.StartTimestamp, args.Now)
                : null, descending), descending),
            NodeOrderBy.State => Then(Sort(nodes, n => n.State, descending), descending),
            NodeOrderBy.StartTimestamp => Then(Sort(nodes, n => n.StartTimestamp, descending), descending),
            NodeOrderBy.FinishTimestamp => Then(Sort(nodes, n => n.FinishTimestamp, descending), descending),
            _ => Then(Sort(nodes, n => n.Name, descending), descending),
        };
    }

    private static IOrderedQueryable<JobNode> Sort<TKey>(
        IQueryable<JobNode> nodes, System.Linq.Expressions.Expression<Func<JobNode, TKey>> key, bool descending) =>
        descending ? nodes.OrderByDescending(key) : nodes.OrderBy(key);

    private static IOrderedQueryable<JobNode> Then(IOrderedQueryable<JobNode> nodes, bool descending) =>
        descending ? nodes.ThenByDescending(n => n.Id) : nodes.ThenBy(n => n.Id);
}

/// <summary>
/// A request's page of nodes as its statement reads it, the one parameter of the statement's compiled query;
/// <see cref="Now"/> is the instant running nodes' durations are measured to.
/// </summary>
public sealed class NodePageArgs
{
    public required long JobId { get; init; }

    public required NodeOrderBy OrderBy { get; init; }

    public required SortOrder Order { get; init; }

    public NodeState? State { get; init; }

    public int Offset { get; init; }

    public int? Limit { get; init; }

    public required DateTime Now { get; init; }

    /// <summary>Everything <see cref="GetJobNodesQueryHandler.Page"/> branches on.</summary>
    public PageShape Shape => new(OrderBy, Order, State is not null, Offset > 0, Limit is not null);

    public static NodePageArgs Of(GetJobNodesQuery query, DateTime now) => new()
    {
        JobId = query.JobId,
        OrderBy = query.OrderBy ?? NodeOrderBy.Name,
        Order = query.Order ?? SortOrder.Asc,
        State = query.State,
        Offset = query.Offset ?? 0,
        Limit = query.Limit,
        Now = now,
    };

    public readonly record struct PageShape(NodeOrderBy OrderBy, SortOrder Order, bool State, bool Offset, bool Limit);
}

/// <summary>A job that exists, and the id of its newest event.</summary>
public sealed record JobEventsHead(long? NewestEventId);

public sealed class GetJobNodesQueryValidator : AbstractValidator<GetJobNodesQuery>
{
    public GetJobNodesQueryValidator()
    {
        RuleFor(q => q.JobId).MustBeJobId();
        RuleFor(q => q.Limit).MustBePageSize();
        RuleFor(q => q.Offset).MustBePageSize();
    }
}
