using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using SQLitePCL;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Counts reused until the database changes. SQLite has no cheaper exact count than walking the matching index
/// range (330,000 entries for <c>type=task</c> at a million jobs), so a dashboard's repeated first page paid it
/// on every request. <c>PRAGMA data_version</c> tells a connection whether any other connection has committed
/// since it last asked; request connections are read-only and never commit, so every import or seed shows up.
/// Each request asks on its own connection before reading the counts; any change starts a new, empty generation.
/// </summary>
internal sealed class SqliteRowCounts(IOrchestratorDbContext db, SqliteCountGenerations generations) : IRowCounts
{
    public async ValueTask<int> CountAsync<T>(IQueryable<T> query, object key, CancellationToken cancellationToken)
    {
        if (db is not DbContext { } context
            || context.Database.GetDbConnection() is not SqliteConnection { State: System.Data.ConnectionState.Open } connection)
            return await query.CountAsync(cancellationToken);

        var counts = generations.Current(connection);
        if (counts.TryGetValue(key, out var count))
            return count;

        count = await query.CountAsync(cancellationToken);
        // Stored in the generation read before counting: if a commit started a new one meanwhile, this goes nowhere.
        if (counts.Count < SqliteCountGenerations.MaxEntries)
            counts.TryAdd(key, count);
        return count;
    }
}

/// <summary>
/// The counts of the current database version, shared by all requests. Why it is exact: a count is stored in the
/// generation that was current before the count ran. If a commit lands after that, every request that starts
/// later sees it through <c>data_version</c> on its own connection (now, or at an earlier check that already came
/// after the commit) and so reads a newer generation than the one the stale count went into.
/// </summary>
internal sealed class SqliteCountGenerations
{
    /// <summary>Keys come from request parameters; past this many, a generation stops taking new ones.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConditionalWeakTable<sqlite3, StrongBox<long>> _versions = [];
    private ConcurrentDictionary<object, int> _counts = new();

    public ConcurrentDictionary<object, int> Current(SqliteConnection connection)
    {
        if (Changed(connection))
            Interlocked.Exchange(ref _counts, new ConcurrentDictionary<object, int>());
        return Volatile.Read(ref _counts);
    }

    /// <summary>True when another connection committed since this one last asked, or this one never asked.</summary>
    private bool Changed(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        var version = (long)command.ExecuteScalar()!;

        // The handle outlives the pooled SqliteConnection objects that wrap it, and so does its data_version.
        if (connection.Handle is not { } handle)
            return true;
        var seen = _versions.GetValue(handle, _ => new StrongBox<long>(long.MinValue));
        lock (seen)
        {
            var changed = seen.Value != version;
            seen.Value = version;
            return changed;
        }
    }
}

/// <summary>
/// SQL Server: every count runs. It has no per-connection commit counter like <c>data_version</c>; reusing counts
/// there would need change tracking on the tables.
/// </summary>
internal sealed class ExactRowCounts : IRowCounts
{
    public async ValueTask<int> CountAsync<T>(IQueryable<T> query, object key, CancellationToken cancellationToken) =>
        await query.CountAsync(cancellationToken);
}
