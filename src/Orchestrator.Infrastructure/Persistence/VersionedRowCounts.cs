using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Pagination totals counted once per data version and filter set. An exact count walks every matching index
/// entry (hundreds of thousands for <c>type=task</c> at a million jobs), and a dashboard's first page asks for the
/// same one at every poll. The version is the request's own, so the total agrees with the page it goes with.
/// </summary>
internal sealed class VersionedRowCounts(RequestSnapshot snapshot, VersionedCache<int> counts) : IRowCounts
{
    public async ValueTask<int> CountAsync<T>(Func<IQueryable<T>> query, object key, CancellationToken cancellationToken)
    {
        var version = await snapshot.VersionAsync(cancellationToken);
        if (counts.TryGet(version, key, out var count))
            return count;

        count = await query().CountAsync(cancellationToken);
        counts.Set(version, key, count, size: 1);
        return count;
    }
}
