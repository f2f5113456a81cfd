using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Common.Persistence;
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
        var args = JobPageArgs.Of(query, paging.Value.Resolve(query.Limit));

        var total = await counts.CountAsync(() => Filter(db.Jobs.AsNoTracking(), args), TotalKey.Of(args), cancellationToken);

        // limit=0 still answers the true total, without reading any row.
        var items = args.Limit == 0 || args.Offset >= total
            ? []
            : await JobDocuments.ReadAsync(db, PageRows.Run(db.Context(), args), links, cancellationToken);

        return new JobListDto(items, new JobListPaginationDto
        {
            Limit = args.Limit,
            Offset = args.Offset,
            OrderBy = args.OrderBy,
            Order = args.Order,
            Type = query.Type,
            Task = query.Task,
            MinFinishTimestamp = query.MinFinishTimestamp,
            MaxFinishTimestamp = query.MaxFinishTimestamp,
            State = args.States is [] ? null : args.States,
            Owner = query.Owner,
            Environment = query.Environment,
            Total = total,
        });
    }

    /// <summary>What <see cref="Filter"/> depends on, and nothing else: equal keys count the same jobs.</summary>
    private sealed record TotalKey(
        JobType? Type, string? Task, DateTime? MinFinish, DateTime? MaxFinish, int States, string? Owner, string? Environment)
    {
        public static TotalKey Of(JobPageArgs args) => new(
            args.Type,
            args.Task,
            args.MinFinish,
            args.MaxFinish,
            args.States.Aggregate(0, (states, state) => states | (1 << (int)state)),
            args.Owner,
            args.Environment);
    }

    /// <summary>The page's rows: <see cref="Page"/>, compiled once for each ordering and set of filters.</summary>
    public static readonly ShapedQuery<JobPageArgs, JobPageArgs.PageShape, Job, JobRow> PageRows =
        new(args => args.Shape, (jobs, args) => Page(jobs, args).ProjectToRow());

    /// <summary>
    /// The page's ids in a subquery that walks only the ordering's index (skipping <c>offset</c> entries without
    /// reading a row), then just those rows, ordered again: a deep page costs index entries, not table reads.
    /// </summary>
    public static IQueryable<Job> Page(IQueryable<Job> jobs, JobPageArgs args)
    {
        // Skip and Take inside the lambda, so that EF Core sends offset and limit as parameters.
        var ordered = Order(Filter(jobs, args), args.OrderBy, args.Order);
        return Order(jobs.Where(j => ordered.Skip(args.Offset).Take(args.Limit).Select(o => o.Id).Contains(j.Id)), args.OrderBy, args.Order);
    }

    /// <summary>The WHERE clause: every filter is a parameter, never text spliced into SQL.</summary>
    public static IQueryable<Job> Filter(IQueryable<Job> jobs, JobPageArgs args)
    {
        if (args.Type is not null)
            jobs = jobs.Where(j => j.Type == args.Type);
        if (args.Task is not null)
            jobs = jobs.Where(j => j.TaskName != null && j.TaskName.Contains(args.Task));
        if (args.MinFinish is not null)
            jobs = jobs.Where(j => j.FinishedAt >= args.MinFinish);
        if (args.MaxFinish is not null)
            jobs = jobs.Where(j => j.FinishedAt <= args.MaxFinish);
        if (args.States is not [])
        {
            // One parameter per state, not the contexts' array parameter: SQLite reads "State IN (?)" as an equality
            // and walks (State, Timestamp, Id) in order, but sorts every matching job when the list is json_each.
            jobs = jobs.Where(j => EF.MultipleParameters(args.States).Contains(j.State));
        }

        if (args.Owner is not null)
            jobs = jobs.Where(j => j.OwnerLogin == args.Owner);
        if (args.Environment is not null)
            jobs = jobs.Where(j => j.EnvironmentName == args.Environment);
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

/// <summary>
/// A request's page as its statement reads it, the one parameter of the statement's compiled query. Empty text
/// filters are no filter, and states are distinct and in order, so requests that mean the same share a shape.
/// </summary>
public sealed class JobPageArgs
{
    public required JobOrderBy OrderBy { get; init; }

    public required SortOrder Order { get; init; }

    public required int Offset { get; init; }

    public required int Limit { get; init; }

    public JobType? Type { get; init; }

    public string? Task { get; init; }

    public DateTime? MinFinish { get; init; }

    public DateTime? MaxFinish { get; init; }

    public JobState[] States { get; init; } = [];

    public string? Owner { get; init; }

    public string? Environment { get; init; }

    /// <summary>Everything <see cref="ListJobsQueryHandler.Page"/> branches on.</summary>
    public PageShape Shape => new(
        OrderBy, Order, Type is not null, Task is not null, MinFinish is not null, MaxFinish is not null, States.Length,
        Owner is not null, Environment is not null);

    public static JobPageArgs Of(ListJobsQuery query, int limit) => new()
    {
        OrderBy = query.OrderBy ?? ListJobsQueryHandler.DefaultOrderBy,
        Order = query.Order ?? SortOrder.Asc,
        Offset = query.Offset ?? 0,
        Limit = limit,
        Type = query.Type,
        Task = string.IsNullOrEmpty(query.Task) ? null : query.Task,
        MinFinish = query.MinFinishTimestamp,
        MaxFinish = query.MaxFinishTimestamp,
        States = query.State is { Count: > 0 } states ? states.Distinct().Order().ToArray() : [],
        Owner = string.IsNullOrEmpty(query.Owner) ? null : query.Owner,
        Environment = string.IsNullOrEmpty(query.Environment) ? null : query.Environment,
    };

    public readonly record struct PageShape(
        JobOrderBy OrderBy, SortOrder Order, bool Type, bool Task, bool MinFinish, bool MaxFinish, int States,
        bool Owner, bool Environment);
}
