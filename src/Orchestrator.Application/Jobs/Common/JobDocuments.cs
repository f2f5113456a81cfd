using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>
/// Whole job documents for a page of jobs (or one job) in three statements whatever the page size: the jobs,
/// their node counts per state (aggregated in SQL), and their state histories.
/// </summary>
public static class JobDocuments
{
    public static async Task<List<JobDto>> ReadAsync(
        IOrchestratorDbContext db, IQueryable<Job> jobs, JobMapper mapper, CancellationToken cancellationToken)
    {
        var page = await jobs.AsNoTracking().ToListAsync(cancellationToken);
        if (page.Count == 0)
            return [];

        var ids = page.ConvertAll(job => job.Id);
        var nodeStates = await NodeStates(db, ids).ToListAsync(cancellationToken);
        var statuses = await Statuses(db, ids).ToListAsync(cancellationToken);

        var nodeStatesOf = nodeStates.ToLookup(count => count.JobId);
        var statusesOf = statuses.ToLookup(status => status.JobId);
        return page.ConvertAll(job => mapper.ToDto(job, nodeStatesOf[job.Id].Sum(c => c.Count), nodeStatesOf[job.Id], statusesOf[job.Id]));
    }

    // EF.Parameter: the ids travel as one array parameter (json_each on SQLite, OPENJSON on SQL Server), so one
    // SQL text, and one cached query plan, serves every page size.
    public static IQueryable<NodeStateCount> NodeStates(IOrchestratorDbContext db, List<long> jobIds) =>
        db.JobNodes.AsNoTracking()
            .Where(n => EF.Parameter(jobIds).Contains(n.JobId))
            .GroupBy(n => new { n.JobId, n.State })
            .Select(g => new NodeStateCount(g.Key.JobId, g.Key.State, g.Count()));

    public static IQueryable<JobStatus> Statuses(IOrchestratorDbContext db, List<long> jobIds) =>
        db.JobStatuses.AsNoTracking()
            .Where(s => EF.Parameter(jobIds).Contains(s.JobId))
            .OrderBy(s => s.JobId).ThenBy(s => s.EnterTime).ThenBy(s => s.Id);
}
