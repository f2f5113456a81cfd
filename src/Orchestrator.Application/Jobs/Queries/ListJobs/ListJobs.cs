using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Queries.ListJobs;

/// <summary><c>GET /orchestrator/v1/jobs</c>: a page of jobs and the total matching the filters.</summary>
public sealed record ListJobsQuery : IQuery<JobListDto>
{
    public int? Limit { get; init; }

    public int? Offset { get; init; }

    public JobOrderBy? OrderBy { get; init; }

    public SortOrder? Order { get; init; }

    public JobType? Type { get; init; }

    public string? Task { get; init; }

    public DateTime? MinFinishTimestamp { get; init; }

    public DateTime? MaxFinishTimestamp { get; init; }

    /// <summary>Extension: only jobs in one of these states.</summary>
    public IReadOnlyList<JobState>? State { get; init; }

    /// <summary>Extension: only jobs whose owner has this login.</summary>
    public string? Owner { get; init; }

    /// <summary>Extension: only jobs in this environment.</summary>
    public string? Environment { get; init; }
}

public sealed class ListJobsQueryHandler(
    IOrchestratorDbContext db, IRowCounts counts, IJobLinks links, IOptions<PagingOptions> paging)
    : IQueryHandler<ListJobsQuery, JobListDto>
{
    public const JobOrderBy DefaultOrderBy = JobOrderBy.Timestamp;

    public async ValueTask<JobListDto> Handle(ListJobsQuery query, CancellationToken cancellationToken)
    {
        var limit = paging.Value.Resolve(query.Limit);
        var offset = query.Offset ?? 0;
        var orderBy = query.OrderBy ?? DefaultOrderBy;
        var order = query.Order ?? SortOrder.Asc;

        var matching = Filter(db.Jobs.AsNoTracking(), query);
        var total = await counts.CountAsync(matching, TotalKey.Of(query), cancellationToken);

        // limit=0 still answers the true total, without reading any row.
        var items = limit == 0 || offset >= total
            ? []
            : await JobDocuments.ReadAsync(db, Page(db.Jobs.AsNoTracking(), matching, orderBy, order, offset, limit), links, cancellationToken);

        return new JobListDto(items, new JobListPaginationDto
        {
            Limit = limit,
            Offset = offset,
            OrderBy = orderBy,
            Order = order,
            Type = query.Type,
            Task = query.Task,
            MinFinishTimestamp = query.MinFinishTimestamp,
            MaxFinishTimestamp = query.MaxFinishTimestamp,
            State = query.State is { Count: > 0 } states ? states.Distinct().Order().ToArray() : null,
            Owner = query.Owner,
            Environment = query.Environment,
            Total = total,
        });
    }

    /// <summary>What <see cref="Filter"/> depends on, and nothing else: equal keys count the same jobs.</summary>
    private sealed record TotalKey(
        JobType? Type, string? Task, DateTime? MinFinish, DateTime? MaxFinish, int States, string? Owner, string? Environment)
    {
        public static TotalKey Of(ListJobsQuery query) => new(
            query.Type,
            string.IsNullOrEmpty(query.Task) ? null : query.Task,
            query.MinFinishTimestamp,
            query.MaxFinishTimestamp,
            query.State?.Aggregate(0, (states, state) => states | (1 << (int)state)) ?? 0,
            string.IsNullOrEmpty(query.Owner) ? null : query.Owner,
            string.IsNullOrEmpty(query.Environment) ? null : query.Environment);
    }

    /// <summary>
    /// The page's ids in a subquery that walks only the ordering's index (skipping <c>offset</c> entries without
    /// reading a row), then just those rows, ordered again: a deep page costs index entries, not table reads.
    /// </summary>
    public static IQueryable<Job> Page(
        IQueryable<Job> jobs, IQueryable<Job> matching, JobOrderBy orderBy, SortOrder order, int offset, int limit)
    {
        // Skip and Take inside the lambda, so that EF Core sends offset and limit as parameters.
        var ordered = Order(matching, orderBy, order);
        return Order(jobs.Where(j => ordered.Skip(offset).Take(limit).Select(o => o.Id).Contains(j.Id)), orderBy, order);
    }

    /// <summary>The WHERE clause: every filter is a parameter, never text spliced into SQL.</summary>
    public static IQueryable<Job> Filter(IQueryable<Job> jobs, ListJobsQuery query)
    {
        if (query.Type is { } type)
            jobs = jobs.Where(j => j.Type == type);
        if (!string.IsNullOrEmpty(query.Task))
            jobs = jobs.Where(j => j.TaskName != null && j.TaskName.Contains(query.Task));
        if (query.MinFinishTimestamp is { } min)
            jobs = jobs.Where(j => j.FinishedAt >= min);
        if (query.MaxFinishTimestamp is { } max)
            jobs = jobs.Where(j => j.FinishedAt <= max);
        if (query.State is { Count: > 0 })
        {
            // One parameter per state, not the contexts' array parameter: SQLite reads "State IN (?)" as an equality
            // and walks (State, Timestamp, Id) in order, but sorts every matching job when the list is json_each.
            var states = query.State.Distinct().ToArray();
            jobs = jobs.Where(j => EF.MultipleParameters(states).Contains(j.State));
        }

        if (!string.IsNullOrEmpty(query.Owner))
            jobs = jobs.Where(j => j.OwnerLogin == query.Owner);
        if (!string.IsNullOrEmpty(query.Environment))
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
