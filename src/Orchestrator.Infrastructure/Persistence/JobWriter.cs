using Microsoft.EntityFrameworkCore;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// The one write path for whole jobs (import and seed): a single transaction under the provider's execution
/// strategy, change detection off, jobs saved in batches and the change tracker cleared after each. The commit
/// bumps the <see cref="DataVersion"/> with the rows.
/// </summary>
internal sealed class JobWriter : IJobWriter
{
    private const int RowsPerSave = 2000;
    private const int IdsPerQuery = 500;

    private readonly OrchestratorDbContext _db;
    private int _pendingRows;

    private JobWriter(OrchestratorDbContext db) => _db = db;

    public int Jobs { get; private set; }

    public int Nodes { get; private set; }

    public int Events { get; private set; }

    /// <summary>Runs <paramref name="write"/> in one transaction, committed only when it returns <paramref name="commit"/> true.</summary>
    public static Task<T> RunAsync<T>(
        OrchestratorDbContext db, Func<IJobWriter, CancellationToken, Task<T>> write, Func<T, bool> commit, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            var detectChanges = db.ChangeTracker.AutoDetectChangesEnabled;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(token);
                var writer = new JobWriter(db);
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
    public Task DeleteAsync(IReadOnlyCollection<long>? jobIds, CancellationToken ct) => DeleteAsync(_db, jobIds, ct);

    /// <summary>The delete both writers share, in the caller's transaction.</summary>
    public static async Task DeleteAsync(OrchestratorDbContext db, IReadOnlyCollection<long>? jobIds, CancellationToken ct)
    {
        // Events first: the node -> event foreign key does not cascade.
        if (jobIds is null)
        {
            await db.NodeEvents.ExecuteDeleteAsync(ct);
            await db.JobNodes.ExecuteDeleteAsync(ct);
            await db.JobStatuses.ExecuteDeleteAsync(ct);
            await db.Jobs.ExecuteDeleteAsync(ct);
            return;
        }

        foreach (var chunk in jobIds.Chunk(IdsPerQuery))
        {
            await db.NodeEvents.Where(e => chunk.Contains(e.JobId)).ExecuteDeleteAsync(ct);
            await db.JobNodes.Where(n => chunk.Contains(n.JobId)).ExecuteDeleteAsync(ct);
            await db.JobStatuses.Where(s => chunk.Contains(s.JobId)).ExecuteDeleteAsync(ct);
            await db.Jobs.Where(j => chunk.Contains(j.Id)).ExecuteDeleteAsync(ct);
        }
    }

    public async Task AddAsync(Job job, CancellationToken ct)
    {
        _db.Jobs.Add(job);
        Jobs++;
        Nodes += job.Nodes.Count;
        Events += job.Events.Count;
        _pendingRows += 1 + job.Statuses.Count + job.Nodes.Count + job.Events.Count;
        if (_pendingRows >= RowsPerSave)
            await FlushAsync(ct);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        await _db.SaveChangesAsync(ct);
        _db.ChangeTracker.Clear();
        _pendingRows = 0;
    }
}

/// <summary>Where whole jobs go: <see cref="JobWriter"/> (EF Core, any provider) or <see cref="SqliteBulkJobWriter"/>.</summary>
internal interface IJobWriter
{
    int Jobs { get; }

    int Nodes { get; }

    int Events { get; }

    Task DeleteAsync(IReadOnlyCollection<long>? jobIds, CancellationToken ct);

    Task AddAsync(Job job, CancellationToken ct);
}
