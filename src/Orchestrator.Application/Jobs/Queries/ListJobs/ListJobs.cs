using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Collections;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Queries.ListJobs;

/// <summary>
/// <c>GET /orchestrator/v1/jobs</c>: a page of jobs and the total matching the filters. Normalised as it is built
/// (empty text is no filter; states are distinct and in order), so requests that mean the same are equal.
/// </summary>
public sealed record ListJobsQuery : IQuery<JobListDto>
{
    public const JobOrderBy DefaultOrderBy = JobOrderBy.Timestamp;

    public int? Limit { get; init; }

    public int Offset { get; init; }

    public JobOrderBy OrderBy { get; init; } = DefaultOrderBy;

    public SortOrder Order { get; init; } = SortOrder.Asc;

    public JobType? Type { get; init; }

    public string? Task { get; init => field = string.IsNullOrEmpty(value) ? null : value; }

    public DateTime? MinFinishTimestamp { get; init; }

    public DateTime? MaxFinishTimestamp { get; init; }

    /// <summary>Extension: only jobs in one of these states.</summary>
    public IReadOnlyList<JobState>? State
    {
        get;
        init => field = value is { Count: > 0 } ? new ValueList<JobState>(value.Distinct().Order()) : null;
    }

    /// <summary>Extension: only jobs whose owner has this login.</summary>
    public string? Owner { get; init => field = string.IsNullOrEmpty(value) ? null : value; }

    /// <summary>Extension: only jobs in this environment.</summary>
    public string? Environment { get; init => field = string.IsNullOrEmpty(value) ? null : value; }

    /// <summary>The filters without the paging: equal for every page of the same jobs, so it keys their total.</summary>
    public ListJobsQuery Filters => this with { Limit = null, Offset = 0, OrderBy = DefaultOrderBy, Order = SortOrder.Asc };
}

public sealed class ListJobsQueryHandler(
    IOrchestratorDbContext db, IRowCounts counts, JobMapper mapper, IOptions<PagingOptions> paging)
    : IQueryHandler<ListJobsQuery, JobListDto>
{
    public async ValueTask<JobListDto> Handle(ListJobsQuery query, CancellationToken cancellationToken)
    {
        var limit = paging.Value.Resolve(query.Limit);
        var total = await counts.CountAsync(() => Filter(db.Jobs.AsNoTracking(), query), query.Filters, cancellationToken);

        // limit=0 still answers the true total, without reading any row.
        var items = limit == 0 || query.Offset >= total
            ? []
            : await JobDocuments.ReadAsync(db, Page(db.Jobs, query, limit), mapper, cancellationToken);

        return new JobListDto(items, mapper.ToPagination(query, limit, total));
    }

    /// <summary>
    /// The page's ids in a subquery that walks only the ordering's index (skipping <c>offset</c> entries without
    /// reading a row), then just those rows, ordered again: a deep page costs index entries, not table reads.
    /// </summary>
    public static IQueryable<Job> Page(IQueryable<Job> jobs, ListJobsQuery query, int limit)
    {
        var ordered = Order(Filter(jobs, query), query.OrderBy, query.Order);
        var offset = query.Offset;
        // Skip and Take inside the lambda, so that offset and limit are sent as parameters, not SQL text.
        return Order(jobs.Where(j => ordered.Skip(offset).Take(limit).Select(o => o.Id).Contains(j.Id)), query.OrderBy, query.Order);
    }

    /// <summary>The WHERE clause: every filter is a parameter, never text spliced into SQL.</summary>
    public static IQueryable<Job> Filter(IQueryable<Job> jobs, ListJobsQuery query)
    {
        if (query.Type is not null)
            jobs = jobs.Where(j => j.Type == query.Type);
        if (query.Task is not null)
            jobs = jobs.Where(j => j.TaskName != null && j.TaskName.Contains(query.Task));
        if (query.MinFinishTimestamp is not null)
            jobs = jobs.Where(j => j.FinishedAt >= query.MinFinishTimestamp);
        if (query.MaxFinishTimestamp is not null)
            jobs = jobs.Where(j => j.FinishedAt <= query.MaxFinishTimestamp);
        if (query.State is { } states)
        {
            // One parameter per state: SQLite reads "State IN (?, ?)" as equalities and walks (State, Timestamp, Id)
            // in order, but sorts every matching job when the list is one json_each parameter.
            jobs = jobs.Where(j => EF.MultipleParameters(states).Contains(j.State));
        }

        if (query.Owner is not null)
            jobs = jobs.Where(j => j.OwnerLogin == query.Owner);
        if (query.Environment is not null)
            jobs = jobs.Where(j => j.EnvironmentName == query.Environment);
        return jobs;
    }

    /// <summary>The ORDER BY: each column is backed by an index ending in the id, which breaks ties.</summary>
    public static IQueryable<Job> Order(IQueryable<Job> jobs, JobOrderBy orderBy, SortOrder order) =>
        (orderBy, order) switch
        {
            (JobOrderBy.Owner, SortOrder.Asc) => jobs.OrderBy(j => j.OwnerLogin).ThenBy(j => j.Id),
            (JobOrderBy.Owner, SortOrder.Desc) => jobs.OrderByDescending(j => j.OwnerLogin).ThenByDescending(j => j.Id),
            (JobOrderBy.Environment, SortOrder.Asc) => jobs.OrderBy(j => j.EnvironmentName).ThenBy(j => j.Id),
            (JobOrderBy.Environment, SortOrder.Desc) => jobs.OrderByDescending(j => j.EnvironmentName).ThenByDescending(j => j.Id),
            (JobOrderBy.State, SortOrder.Asc) => jobs.OrderBy(j => j.State).ThenBy(j => j.Id),
            (JobOrderBy.State, SortOrder.Desc) => jobs.OrderByDescending(j => j.State).ThenByDescending(j => j.Id),
            (JobOrderBy.Name, SortOrder.Asc) => jobs.OrderBy(j => j.Id),
            (JobOrderBy.Name, SortOrder.Desc) => jobs.OrderByDescending(j => j.Id),
            (_, SortOrder.Desc) => jobs.OrderByDescending(j => j.Timestamp).ThenByDescending(j => j.Id),
            _ => jobs.OrderBy(j => j.Timestamp).ThenBy(j => j.Id),
        };
}
