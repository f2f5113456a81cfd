using Microsoft.EntityFrameworkCore;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure.Seeding;

/// <summary>
/// Fills the database with realistic, deterministic demo jobs (see <see cref="DemoJobFactory"/>), in one
/// transaction, refusing to touch a database that already holds jobs unless asked to replace them.
/// </summary>
public sealed class DemoDataSeeder(OrchestratorDbContext db)
{
    private const int RowsPerSave = 2000;

    public async Task<SeedResult> SeedAsync(SeedOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Jobs);

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(token => SeedInTransactionAsync(options, token), ct);
    }

    private async Task<SeedResult> SeedInTransactionAsync(SeedOptions options, CancellationToken ct)
    {
        var detectChanges = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (options.Replace)
            {
                // Events first: the node -> event foreign key does not cascade.
                await db.NodeEvents.ExecuteDeleteAsync(ct);
                await db.JobNodes.ExecuteDeleteAsync(ct);
                await db.JobStatuses.ExecuteDeleteAsync(ct);
                await db.Jobs.ExecuteDeleteAsync(ct);
            }
            else if (await db.Jobs.AnyAsync(ct))
            {
                return SeedResult.Refuse("The database already holds jobs; seed with Replace to delete them first.");
            }

            var factory = new DemoJobFactory(options.Seed, options.Jobs, options.Epoch ?? SeedOptions.DefaultEpoch);
            int nodes = 0, events = 0, pendingRows = 0;
            for (var id = 1L; id <= options.Jobs; id++)
            {
                var job = factory.Create(id);
                db.Jobs.Add(job);
                nodes += job.Nodes.Count;
                events += job.Events.Count;
                pendingRows += 1 + job.Statuses.Count + job.Nodes.Count + job.Events.Count;
                if (pendingRows >= RowsPerSave)
                {
                    await SaveAndClearAsync(ct);
                    pendingRows = 0;
                }
            }
            await SaveAndClearAsync(ct);
            await transaction.CommitAsync(ct);
            return new SeedResult(options.Jobs, nodes, events);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = detectChanges;
        }
    }

    private async Task SaveAndClearAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}
