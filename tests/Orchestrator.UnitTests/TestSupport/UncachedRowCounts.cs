using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;

namespace Orchestrator.UnitTests.TestSupport;

/// <summary>Counts every time: the handler tests check what is counted, not what is kept.</summary>
public sealed class UncachedRowCounts : IRowCounts
{
    public async ValueTask<int> CountAsync<T>(Func<IQueryable<T>> query, object key, CancellationToken cancellationToken) =>
        await query().CountAsync(cancellationToken);
}
