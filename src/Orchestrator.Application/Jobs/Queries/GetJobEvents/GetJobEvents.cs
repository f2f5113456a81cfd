using System.Globalization;
using System.Linq.Expressions;
using FluentValidation;
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

/// <summary>The document of <c>GET /jobs/{job-id}/events</c>.</summary>
public sealed record JobEventsDto(
    [property: System.Text.Json.Serialization.JsonPropertyName("next-events")] NextEventsDto NextEvents,
    IReadOnlyList<EventDto> Items);

public sealed class GetJobEventsQueryHandler(IOrchestratorDbContext db, IJobLinks links, IOptions<PagingOptions> paging)
    : IQueryHandler<GetJobEventsQuery, JobEventsDto>
{
    public async ValueTask<JobEventsDto> Handle(GetJobEventsQuery query, CancellationToken cancellationToken)
    {
        await JobRules.EnsureExistsAsync(db, query.JobId, cancellationToken);

        var limit = paging.Value.Resolve(query.Limit);
        var context = db.Context();
        var events = await CompiledPage.For(context)(context, query.JobId, query.Start ?? 0, limit).ToListAsync(cancellationToken);
        var items = events.ConvertAll(JobMapper.ToDto);

        // Polling resumes just past the last event returned; with nothing new, from where the client asked.
        var next = items.Count > 0 ? long.Parse(items[^1].Id, CultureInfo.InvariantCulture) + 1 : query.Start ?? 1;
        return new JobEventsDto(NextEvents(links, query.JobId, next), items);
    }

    /// <summary>The job's events from <c>start</c> on, oldest first (every column of an event is in its document).</summary>
    public static readonly Expression<Func<DbContext, long, long, int, IQueryable<NodeEvent>>> Page =
        (db, jobId, start, limit) => db.Set<NodeEvent>().AsNoTracking()
            .Where(e => e.JobId == jobId && e.Id >= start)
            .OrderBy(e => e.Id)
            .Take(limit);

    private static readonly CompiledQuery<Func<DbContext, long, long, int, IAsyncEnumerable<NodeEvent>>> CompiledPage =
        new(() => EF.CompileAsyncQuery(Page));

    public static NextEventsDto NextEvents(IJobLinks links, long jobId, long next) =>
        new(links.Events(jobId, next), next.ToString(CultureInfo.InvariantCulture));
}

public sealed class GetJobEventsQueryValidator : AbstractValidator<GetJobEventsQuery>
{
    public GetJobEventsQueryValidator()
    {
        RuleFor(q => q.JobId).MustBeJobId();
        RuleFor(q => q.Start).GreaterThanOrEqualTo(0).WithMessage("must be a non-negative integer");
        RuleFor(q => q.Limit).MustBePageSize();
    }
}
