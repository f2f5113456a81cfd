using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;

namespace Orchestrator.Infrastructure.Persistence;

// Counted once per data version and filter set: a dashboard asks for the same total at every poll.
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
