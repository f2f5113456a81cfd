using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>
/// Whole job documents for a page of jobs (or one job) in three statements whatever the page size: the jobs,
/// their node counts per state (aggregated in SQL), and their state histories (both compiled, on the context).
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
        var nodeStates = await db.NodeStateCounts(ids).ToListAsync(cancellationToken);
        var statuses = await db.StatusHistories(ids).ToListAsync(cancellationToken);

        var nodeStatesOf = nodeStates.GroupBy(count => count.JobId).ToDictionary(g => g.Key, g => g.ToList());
        var statusesOf = statuses.ToLookup(status => status.JobId);
        return page.ConvertAll(job => mapper.ToDto(job, nodeStatesOf.GetValueOrDefault(job.Id, []), statusesOf[job.Id]));
    }
}
