using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using SQLitePCL;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// What was read from the database while it stayed the same: exact counts and whole documents, reused until any
/// other connection commits. <c>PRAGMA data_version</c> tells a connection whether another connection has
/// committed since it last asked; request connections are read-only and never commit, so every import or seed
/// shows up. Each request asks on its connection before it reads, and any change starts a new, empty generation.
/// </summary>
/// <remarks>
/// Why a reused value is exact: it is stored in the generation that was current before it was read. If a commit
/// lands after that, every request that starts later sees the commit through <c>data_version</c> on its own
/// connection (now, or at an earlier check that already came after the commit), and so reads a newer generation
/// than the one the stale value went into. A connection never asked before cannot know what it missed, so it
/// starts a new generation too.
/// </remarks>
internal sealed class SqliteDataVersions
{
    private readonly ConditionalWeakTable<sqlite3, StrongBox<long>> _versions = [];
    private DataGeneration _current = new();

    public DataGeneration Current(SqliteConnection connection)
    {
        if (Changed(connection))
            Interlocked.Exchange(ref _current, new DataGeneration());
        return Volatile.Read(ref _current);
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

/// <summary>The values read from one version of the database. Keys come from requests, so each store is bounded.</summary>
internal sealed class DataGeneration
{
    public const int MaxCounts = 10_000;

    private long _documentBytes;

    public ConcurrentDictionary<object, int> Counts { get; } = new();

    public ConcurrentDictionary<string, CachedDocument> Documents { get; } = new();

    /// <summary>Claims room for a document of <paramref name="bytes"/>; false once the generation holds <paramref name="limit"/>.</summary>
    public bool TryReserve(long bytes, long limit)
    {
        if (Interlocked.Add(ref _documentBytes, bytes) <= limit)
            return true;
        Interlocked.Add(ref _documentBytes, -bytes);
        return false;
    }
}

/// <summary>Pagination totals on SQLite: counted once per database version and key.</summary>
internal sealed class SqliteRowCounts(IOrchestratorDbContext db, SqliteDataVersions versions) : IRowCounts
{
    public async ValueTask<int> CountAsync<T>(IQueryable<T> query, object key, CancellationToken cancellationToken)
    {
        if (db is not DbContext { } context
            || context.Database.GetDbConnection() is not SqliteConnection { State: System.Data.ConnectionState.Open } connection)
            return await query.CountAsync(cancellationToken);

        // SQLite has no cheaper exact count than walking the matching index range (330,000 entries for
        // type=task at a million jobs), and a dashboard's repeated first page paid it on every request.
        var counts = versions.Current(connection).Counts;
        if (counts.TryGetValue(key, out var count))
            return count;

        count = await query.CountAsync(cancellationToken);
        if (counts.Count < DataGeneration.MaxCounts)
            counts.TryAdd(key, count);
        return count;
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
