using Microsoft.EntityFrameworkCore;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Where whole jobs are written (import, seed, sync), in one transaction whose commit also bumps the
/// <see cref="DataVersion"/>: through EF Core on any provider (<see cref="RunAsync{T}"/>), or through
/// <see cref="SqliteBulkJobWriter"/>.
/// </summary>
internal abstract class JobWriter(OrchestratorDbContext db)
{
    private const int IdsPerQuery = 500;

    public int Jobs { get; private set; }

    public int Nodes { get; private set; }

    public int Events { get; private set; }

    protected OrchestratorDbContext Db { get; } = db;

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction under the provider's execution strategy, committed only when
    /// <paramref name="commit"/> says so of its result.
    /// </summary>
    public static Task<T> RunAsync<T>(
        OrchestratorDbContext db, Func<JobWriter, CancellationToken, Task<T>> write, Func<T, bool> commit, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            var detectChanges = db.ChangeTracker.AutoDetectChangesEnabled;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(token);
                var writer = new TrackedJobWriter(db);
                var result = await write(writer, token);
                if (commit(result))
                {
                    await writer.FlushAsync(token);
                    await DataVersion.BumpAsync(db, token);
                    await transaction.CommitAsync(token);
                }

                return result;
            }
            finally
            {
                db.ChangeTracker.Clear();
                db.ChangeTracker.AutoDetectChangesEnabled = detectChanges;
            }
        }, ct);

    /// <summary>Deletes the given jobs with everything they own, or every job when <paramref name="jobIds"/> is null.</summary>
    public async Task DeleteAsync(IReadOnlyCollection<long>? jobIds, CancellationToken ct)
    {
        // Events first: the node -> event foreign key does not cascade.
        if (jobIds is null)
        {
            await Db.NodeEvents.ExecuteDeleteAsync(ct);
            await Db.JobNodes.ExecuteDeleteAsync(ct);
            await Db.JobStatuses.ExecuteDeleteAsync(ct);
            await Db.Jobs.ExecuteDeleteAsync(ct);
            return;
        }

        foreach (var chunk in jobIds.Chunk(IdsPerQuery))
        {
            await Db.NodeEvents.Where(e => chunk.Contains(e.JobId)).ExecuteDeleteAsync(ct);
            await Db.JobNodes.Where(n => chunk.Contains(n.JobId)).ExecuteDeleteAsync(ct);
            await Db.JobStatuses.Where(s => chunk.Contains(s.JobId)).ExecuteDeleteAsync(ct);
            await Db.Jobs.Where(j => chunk.Contains(j.Id)).ExecuteDeleteAsync(ct);
        }
    }

    public Task AddAsync(Job job, CancellationToken ct)
    {
        Jobs++;
        Nodes += job.Nodes.Count;
        Events += job.Events.Count;
        return WriteAsync(job, ct);
    }

    protected abstract Task WriteAsync(Job job, CancellationToken ct);

    /// <summary>Change detection off; jobs saved in batches and the change tracker cleared after each.</summary>
    private sealed class TrackedJobWriter(OrchestratorDbContext db) : JobWriter(db)
    {
        private const int RowsPerSave = 2000;

        private int _pendingRows;

        public async Task FlushAsync(CancellationToken ct)
        {
            await Db.SaveChangesAsync(ct);
            Db.ChangeTracker.Clear();
            _pendingRows = 0;
        }

        protected override async Task WriteAsync(Job job, CancellationToken ct)
        {
            Db.Jobs.Add(job);
            _pendingRows += 1 + job.Statuses.Count + job.Nodes.Count + job.Events.Count;
            if (_pendingRows >= RowsPerSave)
                await FlushAsync(ct);
        }
    }
}
