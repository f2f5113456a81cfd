using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Common.Persistence;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>
/// Reads whole job documents for a page of jobs in three round trips whatever the page size: the job rows,
/// the node counts per state (aggregated in SQL), and the state histories. One job by id takes the same three,
/// compiled.
/// </summary>
public static class JobDocuments
{
    public static async Task<List<JobDto>> ReadAsync(
        IOrchestratorDbContext db, IAsyncEnumerable<JobRow> page, IJobLinks links, CancellationToken cancellationToken)
    {
        var rows = await page.ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return [];

        var context = db.Context();
        var ids = rows.Select(r => r.Id).ToArray();
        var counts = await CompiledNodeStateCounts.For(context)(context, ids).ToListAsync(cancellationToken);
        var statuses = await CompiledStatuses.For(context)(context, ids).ToListAsync(cancellationToken);
        return Assemble(rows, counts, statuses, links);
    }

    /// <summary>One job's document, or null: the same three statements, compiled, each for one job id.</summary>
    public static async Task<JobDto?> ReadOneAsync(IOrchestratorDbContext db, long jobId, IJobLinks links, CancellationToken cancellationToken)
    {
        var context = db.Context();
        var job = await CompiledOneJobRow.For(context)(context, jobId).FirstOrDefaultAsync(cancellationToken);
        if (job is null)
            return null;

        var counts = await CompiledOneJobNodeStateCounts.For(context)(context, jobId).ToListAsync(cancellationToken);
        var statuses = await CompiledOneJobStatuses.For(context)(context, jobId).ToListAsync(cancellationToken);
        return Assemble([job], counts, statuses, links)[0];
    }

    // Plain loops over arrays indexed by the row's position: this runs for every job of every page, and the
    // lookups, sorts and iterators of the LINQ version were 6% of a first page's time.
    private static List<JobDto> Assemble(
        List<JobRow> rows, List<NodeStateCount> counts, List<JobStatusRow> statuses, IJobLinks links)
    {
        var positions = new Dictionary<long, int>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
            positions[rows[i].Id] = i;

        var countsOf = new List<NodeStateCount>?[rows.Count];
        foreach (var count in counts)
            (countsOf[positions[count.JobId]] ??= []).Add(count);
        var statusesOf = new List<JobStatusDto>?[rows.Count];
        foreach (var status in statuses)
            (statusesOf[positions[status.JobId]] ??= []).Add(status.Status);

        var documents = new List<JobDto>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (nodeCount, nodeStates) = NodeStates(countsOf[i]);
            documents.Add(new JobDto
            {
                Id = links.Job(row.Id),
                Name = row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Type = row.Type,
                State = row.State,
                Command = row.Command,
                Options = new RawJson(row.OptionsJson),
                Owner = new RawJson(row.OwnerJson),
                Description = row.Description,
                Timestamp = row.Timestamp,
                Environment = row.EnvironmentName is { } environment ? new EnvironmentDto(environment) : null,
                NodeCount = nodeCount,
                NodeStates = nodeStates,
                Userdata = RawJson.From(row.UserdataJson),
                Status = statusesOf[i] ?? [],
                Nodes = new LinkDto(links.Nodes(row.Id)),
                Report = new LinkDto(links.Report(row.Id)),
                Events = new LinkDto(links.Events(row.Id)),
            });
        }

        return documents;
    }

    /// <summary>The job's node count and its nodes per state, in the states' declared order (null without nodes).</summary>
    private static (int Count, Dictionary<string, int>? States) NodeStates(List<NodeStateCount>? counts)
    {
        if (counts is null)
            return (0, null);
        counts.Sort(static (a, b) => a.State.CompareTo(b.State));
        var states = new Dictionary<string, int>(counts.Count);
        var total = 0;
        foreach (var count in counts)
        {
            states.Add(WireName<NodeState>.Of(count.State), count.Count);
            total += count.Count;
        }

        return (total, states);
    }

    // The same columns as a page's rows: Mapperly's projection, taken out of its Select so that it can be used
    // inside an expression (EF Core inlines a lambda read from a static field, as it does StatusEntry below).
    private static readonly Expression<Func<Job, JobRow>> RowColumns =
        (Expression<Func<Job, JobRow>>)((UnaryExpression)((MethodCallExpression)Array.Empty<Job>().AsQueryable().ProjectToRow().Expression).Arguments[1]).Operand;

    // A history entry read straight into the document's entry, for one job and for a page.
    private static readonly Expression<Func<JobStatus, JobStatusRow>> StatusEntry =
        s => new JobStatusRow(s.JobId, new JobStatusDto { State = s.State, EnterTime = s.EnterTime, ExitTime = s.ExitTime });

    public static readonly Expression<Func<DbContext, long, IQueryable<JobRow>>> OneJobRow =
        (db, jobId) => db.Set<Job>().AsNoTracking().Where(j => j.Id == jobId).Select(RowColumns);

    public static readonly Expression<Func<DbContext, long, IQueryable<NodeStateCount>>> OneJobNodeStateCounts =
        (db, jobId) => db.Set<JobNode>().AsNoTracking()
            .Where(n => n.JobId == jobId)
            .GroupBy(n => n.State)
            .Select(g => new NodeStateCount(jobId, g.Key, g.Count()));

    public static readonly Expression<Func<DbContext, long, IQueryable<JobStatusRow>>> OneJobStatuses =
        (db, jobId) => db.Set<JobStatus>().AsNoTracking()
            .Where(s => s.JobId == jobId)
            .OrderBy(s => s.EnterTime).ThenBy(s => s.Id)
            .Select(StatusEntry);

    private static readonly CompiledQuery<Func<DbContext, long, IAsyncEnumerable<JobRow>>> CompiledOneJobRow =
        new(() => EF.CompileAsyncQuery(OneJobRow));

    private static readonly CompiledQuery<Func<DbContext, long, IAsyncEnumerable<NodeStateCount>>> CompiledOneJobNodeStateCounts =
        new(() => EF.CompileAsyncQuery(OneJobNodeStateCounts));

    private static readonly CompiledQuery<Func<DbContext, long, IAsyncEnumerable<JobStatusRow>>> CompiledOneJobStatuses =
        new(() => EF.CompileAsyncQuery(OneJobStatuses));

    // The ids travel as one array parameter (json_each on SQLite, OPENJSON on SQL Server; the Infrastructure's
    // DependencyInjection.CollectionMode), so one SQL text serves every page size.

    /// <summary>Nodes per job and state, counted in SQL.</summary>
    public static readonly Expression<Func<DbContext, long[], IQueryable<NodeStateCount>>> NodeStateCounts =
        (db, jobIds) => db.Set<JobNode>().AsNoTracking()
            .Where(n => jobIds.Contains(n.JobId))
            .GroupBy(n => new { n.JobId, n.State })
            .Select(g => new NodeStateCount(g.Key.JobId, g.Key.State, g.Count()));

    /// <summary>The state histories of the jobs, each in the order it happened, read straight into the documents' entries.</summary>
    public static readonly Expression<Func<DbContext, long[], IQueryable<JobStatusRow>>> Statuses =
        (db, jobIds) => db.Set<JobStatus>().AsNoTracking()
            .Where(s => jobIds.Contains(s.JobId))
            .OrderBy(s => s.JobId).ThenBy(s => s.EnterTime).ThenBy(s => s.Id)
            .Select(StatusEntry);

    private static readonly CompiledQuery<Func<DbContext, long[], IAsyncEnumerable<NodeStateCount>>> CompiledNodeStateCounts =
        new(() => EF.CompileAsyncQuery(NodeStateCounts));

    private static readonly CompiledQuery<Func<DbContext, long[], IAsyncEnumerable<JobStatusRow>>> CompiledStatuses =
        new(() => EF.CompileAsyncQuery(Statuses));
}

public sealed record NodeStateCount(long JobId, NodeState State, int Count);

/// <summary>One entry of a job's state history, with the job it belongs to.</summary>
public sealed record JobStatusRow(long JobId, JobStatusDto Status);
