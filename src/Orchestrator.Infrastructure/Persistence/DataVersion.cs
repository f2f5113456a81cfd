using Microsoft.EntityFrameworkCore;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>The one row every writer bumps in the transaction of its rows, and every cache keys on (ADR 0006).</summary>
public sealed class DataVersion
{
    public const int RowId = 1;

    public int Id { get; set; }

    public long Version { get; set; }

    public static async Task BumpAsync(OrchestratorDbContext db, CancellationToken ct)
    {
        var bumped = await db.DataVersions.Where(v => v.Id == RowId)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1), ct);
        if (bumped == 0)
            throw new InvalidOperationException("The DataVersion row is missing; run the migrations again to restore it.");
    }
}
