using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Queries.GetJobReport;

/// <summary><c>GET /orchestrator/v1/jobs/{job-id}/report</c>: each node's state and events, nodes by name.</summary>
public sealed record GetJobReportQuery(long JobId) : IQuery<JobReportDto>;

/// <summary>The document of <c>GET /jobs/{job-id}/report</c>.</summary>
public sealed record JobReportDto(IReadOnlyList<JobReportItemDto> Items);

/// <summary>One node of the report; <c>timestamp</c> is the node's latest activity.</summary>
public sealed record JobReportItemDto(string Node, NodeState State, DateTime? Timestamp, IReadOnlyList<EventDto> Events);

public sealed class GetJobReportQueryHandler(IOrchestratorDbContext db) : IQueryHandler<GetJobReportQuery, JobReportDto>
{
    public async ValueTask<JobReportDto> Handle(GetJobReportQuery query, CancellationToken cancellationToken)
    {
        await JobRules.EnsureExistsAsync(db, query.JobId, cancellationToken);

        var nodes = await Nodes(db, query.JobId)
            .Select(n => new { n.Id, n.Name, n.State, n.Timestamp })
            .ToListAsync(cancellationToken);
        var events = await Events(db, query.JobId).ToListAsync(cancellationToken);
        var eventsByNode = events.ToLookup(e => e.NodeId!.Value, JobMapper.ToDto);

        return new JobReportDto(nodes
            .Select(n => new JobReportItemDto(n.Name, n.State, n.Timestamp, eventsByNode[n.Id].ToArray()))
            .ToArray());
    }

    public static IQueryable<Domain.Entities.JobNode> Nodes(IOrchestratorDbContext db, long jobId) =>
        db.JobNodes.AsNoTracking().Where(n => n.JobId == jobId).OrderBy(n => n.Name).ThenBy(n => n.Id);

    public static IQueryable<Domain.Entities.NodeEvent> Events(IOrchestratorDbContext db, long jobId) =>
        db.NodeEvents.AsNoTracking().Where(e => e.JobId == jobId && e.NodeId != null).OrderBy(e => e.Id);
}

public sealed class GetJobReportQueryValidator : AbstractValidator<GetJobReportQuery>
{
    public GetJobReportQueryValidator() => RuleFor(q => q.JobId).MustBeJobId();
}
