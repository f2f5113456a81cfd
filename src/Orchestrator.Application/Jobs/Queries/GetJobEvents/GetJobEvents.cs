using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Common.Persistence;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Application.Jobs.Queries.GetJobEvents;

/// <summary>
/// <c>GET /orchestrator/v1/jobs/{job-id}/events</c>: the job's events with an id of at least <c>start</c>,
/// oldest first, and where to poll next.
/// </summary>
public sealed record GetJobEventsQuery(long JobId) : IQuery<JobEventsDto>
{
    public long? Start { get; init; }

    public int? Limit { get; init; }
}

public sealed class GetJobEventsQueryHandler(IOrchestratorDbContext db, JobMapper mapper, IOptions<PagingOptions> paging)
    : IQueryHandler<GetJobEventsQuery, JobEventsDto>
{
    public async ValueTask<JobEventsDto> Handle(GetJobEventsQuery query, CancellationToken cancellationToken)
    {
        await JobRules.EnsureExistsAsync(db, query.JobId, cancellationToken);

        var events = await Page(db.NodeEvents.AsNoTracking(), query, paging.Value.Resolve(query.Limit)).ToListAsync(cancellationToken);

        // Polling resumes just past the last event returned; with nothing new, from where the client asked.
        var next = events.Count > 0 ? events[^1].Id + 1 : query.Start ?? 1;
        return new JobEventsDto(mapper.NextEvents(query.JobId, next), events.ConvertAll(EventMapper.ToDto));
    }

    /// <summary>The job's events from <c>start</c> on, oldest first (every column of an event is in its document).</summary>
    public static IQueryable<NodeEvent> Page(IQueryable<NodeEvent> events, GetJobEventsQuery query, int limit)
    {
        var start = query.Start ?? 0;
        return events
            .Where(e => e.JobId == query.JobId && e.Id >= start)
            .OrderBy(e => e.Id)
            .Take(() => limit);
    }
}
