using Microsoft.EntityFrameworkCore;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// The one row every writer bumps in the transaction that writes its rows (ADR 0006). A request reads it first,
/// in its snapshot, and the caches of every API instance key on it: a commit from any process is seen by all.
/// </summary>
public sealed class DataVersion
{
    public const int RowId = 1;

    public int Id { get; set; }

    public long Version { get; set; }

    /// <summary>Moves the version on, in the caller's transaction; nothing a cache holds is answered again after it commits.</summary>
    public static async Task BumpAsync(OrchestratorDbContext db, CancellationToken ct)
    {
        var bumped = await db.DataVersions.Where(v => v.Id == RowId)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1), ct);
        if (bumped == 0)
            throw new InvalidOperationException("The DataVersion row is missing; run the migrations again to restore it.");
    }
}
