using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure.Import;

/// <summary>
/// Loads an import file (see the import format specification) all or nothing: the whole file is checked first,
/// and only a file without problems replaces the jobs it names, in one transaction.
/// </summary>
public sealed class JobImporter(OrchestratorDbContext db)
{
    private const int RowsPerSave = 2000;
    private const int IdsPerQuery = 500;

    public async Task<ImportResult> ImportAsync(Stream utf8Json, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);

        var reader = new ImportReader();
        try
        {
            using var document = await JsonDocument.ParseAsync(utf8Json, default, ct);
            reader.Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            return ImportResult.Failed([$"{ex.Path ?? "$"}: not valid JSON: {ex.Message}"]);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(token => WriteAsync(reader, token), ct);
    }

    private async Task<ImportResult> WriteAsync(ImportReader reader, CancellationToken ct)
    {
        var detectChanges = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            // Checked inside the transaction so that no other import can take an id between check and insert.
            var problems = reader.Problems.Concat(await FindEventIdClashesAsync(reader, ct)).ToList();
            if (problems.Count > 0)
                return ImportResult.Failed(problems);

            var jobIds = reader.Jobs.Select(j => j.Id).ToArray();
            foreach (var chunk in jobIds.Chunk(IdsPerQuery))
            {
                // Events first: the node -> event foreign key does not cascade.
                await db.NodeEvents.Where(e => chunk.Contains(e.JobId)).ExecuteDeleteAsync(ct);
                await db.JobNodes.Where(n => chunk.Contains(n.JobId)).ExecuteDeleteAsync(ct);
                await db.JobStatuses.Where(s => chunk.Contains(s.JobId)).ExecuteDeleteAsync(ct);
                await db.Jobs.Where(j => chunk.Contains(j.Id)).ExecuteDeleteAsync(ct);
            }

            var pendingRows = 0;
            foreach (var job in reader.Jobs)
            {
                db.Jobs.Add(job);
                pendingRows += 1 + job.Statuses.Count + job.Nodes.Count + job.Events.Count;
                if (pendingRows >= RowsPerSave)
                {
                    await SaveAndClearAsync(ct);
                    pendingRows = 0;
                }
            }
            await SaveAndClearAsync(ct);
            await transaction.CommitAsync(ct);

            return ImportResult.Loaded(
                reader.Jobs.Count, reader.Jobs.Sum(j => j.Nodes.Count), reader.Jobs.Sum(j => j.Events.Count));
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

    /// <summary>
    /// Event ids are unique across jobs. An id the database already holds for a job this file does not replace
    /// would collide; one held by a job the file replaces is freed by the delete.
    /// </summary>
    private async Task<List<string>> FindEventIdClashesAsync(ImportReader reader, CancellationToken ct)
    {
        var problems = new List<string>();
        var replacedJobs = reader.Jobs.Select(j => j.Id).ToHashSet();
        foreach (var chunk in reader.EventIds.Chunk(IdsPerQuery))
        {
            var ids = chunk.Select(e => e.Id).ToArray();
            var owners = await db.NodeEvents.AsNoTracking()
                .Where(e => ids.Contains(e.Id))
                .Select(e => new { e.Id, e.JobId })
                .ToDictionaryAsync(e => e.Id, e => e.JobId, ct);
            foreach (var eventId in chunk)
            {
                if (owners.TryGetValue(eventId.Id, out var owner) && owner != eventId.JobId && !replacedJobs.Contains(owner))
                    problems.Add($"{eventId.Path}: event id {eventId.Id} already belongs to job {owner}");
            }
        }
        return problems;
    }
}
