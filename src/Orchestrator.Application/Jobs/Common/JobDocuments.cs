using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>
/// Reads whole job documents for a page of jobs in three round trips whatever the page size: the job rows,
/// the node counts per state (aggregated in SQL), and the state histories.
/// </summary>
public static class JobDocuments
{
    public static async Task<List<JobDto>> ReadAsync(
        IOrchestratorDbContext db, IQueryable<Job> page, IJobLinks links, CancellationToken cancellationToken)
    {
        var rows = await page.ProjectToRow().ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return [];

        var ids = rows.Select(r => r.Id).ToArray();

        var counts = await NodeStateCounts(db, ids).ToListAsync(cancellationToken);
        var countsByJob = counts.ToLookup(c => c.JobId);

        var statuses = await Statuses(db, ids).ToListAsync(cancellationToken);
        var statusesByJob = statuses.ToLookup(s => s.JobId, JobMapper.ToDto);

        return rows.Select(row =>
        {
            var jobCounts = countsByJob[row.Id].OrderBy(c => c.State).ToArray();
            return new JobDto
            {
                Id = links.Job(row.Id),
                Name = row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Type = row.Type,
                State = row.State,
                Command = row.Command,
                Options = row.Options,
                Owner = row.Owner,
                Description = row.Description,
                Timestamp = row.Timestamp,
                Environment = row.Environment,
                NodeCount = jobCounts.Sum(c => c.Count),
                NodeStates = jobCounts.Length == 0
                    ? null
                    : jobCounts.ToDictionary(c => WireName<NodeState>.Of(c.State), c => c.Count),
                Userdata = row.Userdata,
                Status = statusesByJob[row.Id].ToArray(),
                Nodes = new LinkDto(links.Nodes(row.Id)),
                Report = new LinkDto(links.Report(row.Id)),
                Events = new LinkDto(links.Events(row.Id)),
            };
        }).ToList();
    }

    // The page's ids travel as one array parameter (json_each on SQLite, OPENJSON on SQL Server), not EF Core 10's
    // default of one parameter per id: SQL that depends on how many ids there are is rebuilt on every execution,
    // under a lock that 64 concurrent requests queued on (docs/performance.md).

    /// <summary>Nodes per job and state, counted in SQL.</summary>
    public static IQueryable<NodeStateCount> NodeStateCounts(IOrchestratorDbContext db, long[] jobIds) =>
        db.JobNodes.AsNoTracking()
            .Where(n => EF.Parameter(jobIds).Contains(n.JobId))
            .GroupBy(n => new { n.JobId, n.State })
            .Select(g => new NodeStateCount(g.Key.JobId, g.Key.State, g.Count()));

    /// <summary>The state histories of the jobs, each in the order it happened.</summary>
    public static IQueryable<JobStatus> Statuses(IOrchestratorDbContext db, long[] jobIds) =>
        db.JobStatuses.AsNoTracking()
            .Where(s => EF.Parameter(jobIds).Contains(s.JobId))
            .OrderBy(s => s.JobId).ThenBy(s => s.EnterTime).ThenBy(s => s.Id);
}

public sealed record NodeStateCount(long JobId, NodeState State, int Count);
