namespace Orchestrator.Application.Common.Interfaces;

/// <summary>
/// Exact row counts, such as <c>pagination.total</c>. An implementation may answer a count it has made before
/// for an equal key, but only while the database is unchanged since: the answer is always the true count.
/// </summary>
public interface IRowCounts
{
    /// <param name="query">The rows to count, built only when they are counted (an answer made before needs no query).</param>
    /// <param name="key">Names the query: equal keys (value equality, such as a record of the filter values) must mean the same rows.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    ValueTask<int> CountAsync<T>(Func<IQueryable<T>> query, object key, CancellationToken cancellationToken);
}
