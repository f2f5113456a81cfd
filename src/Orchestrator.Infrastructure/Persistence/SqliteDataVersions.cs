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
/// committed since it last asked; read-only connections never commit, so every import or seed shows up. A
/// request asks once, before it reads (<see cref="RequestDataGeneration"/>), and any change starts a new, empty
/// generation.
/// </summary>
/// <remarks>
/// Why a reused value is exact: it is stored in the generation that was current when its request asked, before
/// it was read. If a commit lands after that, every request that asks later sees the commit through
/// <c>data_version</c> on the connection it asks on (now, or at an earlier check that already came after the
/// commit), and so reads a newer generation than the one the stale value went into.
/// <para>
/// A connection that sees a change, or asks for the first time, cannot tell whether the current generation began
/// before or after what it saw, so it asks the watcher: one connection of this class's own, kept open, whose
/// <c>data_version</c> was read before the current generation began. If the watcher has seen no commit since, the
/// connection (which read its own version first) sees the database as the generation does, and joins it. So a
/// commit starts one generation however many connections notice it, and the handles the pool adds under a burst
/// of requests no longer each throw away every count and document (docs/performance.md). A new watcher (after
/// the file went missing, or after it failed) cannot vouch for a generation stamped by the one before.
/// </para>
/// </remarks>
internal sealed class SqliteDataVersions(string readOnlyConnectionString, int commandTimeoutSeconds) : IDisposable
{
    private readonly RecheckedFile _file = new(new SqliteConnectionStringBuilder(readOnlyConnectionString).DataSource);
    private readonly ConditionalWeakTable<sqlite3, StrongBox<long>> _versions = [];
    private readonly Lock _watch = new(); // guards _watcher and every change of _current
    private SqliteConnection? _watcher;
    private DataGeneration _current = new();

    /// <summary>The generation of the database as it is now, asked on a pooled read-only connection; null when it cannot be asked.</summary>
    public DataGeneration? Ask()
    {
        // A pooled handle would go on reading a deleted file; requests must reach SqliteFileGuard and fail instead.
        if (!_file.Exists())
        {
            ForgetWatcher();
            return null;
        }

        try
        {
            // A writer holding the lock makes the check wait like any statement, no longer (SQLite's default is 30 s).
            using var connection = new SqliteConnection(readOnlyConnectionString) { DefaultTimeout = commandTimeoutSeconds };
            connection.Open();
            return Current(connection);
        }
        catch (SqliteException)
        {
            return null; // the request meets the fault itself and answers it
        }
    }

    public DataGeneration Current(SqliteConnection connection)
    {
        if (!Changed(connection))
            return Volatile.Read(ref _current);

        lock (_watch)
        {
            var watched = Watched();
            if (watched is not null && watched == _current.Watched)
                return _current;
            var next = new DataGeneration { Watched = watched };
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    public void Dispose() => ForgetWatcher();

    /// <summary>True when another connection committed since this one last asked, or this one never asked.</summary>
    private bool Changed(SqliteConnection connection)
    {
        var version = DataVersion(connection);

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

    /// <summary>The watcher and its data_version now (opened if need be), or null when it cannot be read. Under <see cref="_watch"/>.</summary>
    private WatchedVersion? Watched()
    {
        try
        {
            if (_watcher is null)
            {
                // Its own handle, outside the pool: clearing the pool must not take it, and it must stay open.
                var watcher = new SqliteConnection(new SqliteConnectionStringBuilder(readOnlyConnectionString) { Pooling = false }.ToString())
                {
                    DefaultTimeout = commandTimeoutSeconds,
                };
                watcher.Open();
                _watcher = watcher;
            }

            return new WatchedVersion(_watcher, DataVersion(_watcher));
        }
        catch (SqliteException)
        {
            _watcher?.Dispose();
            _watcher = null;
            return null;
        }
    }

    private void ForgetWatcher()
    {
        lock (_watch)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    private static long DataVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }
}

/// <summary>A watcher's data_version: only the same watcher's later reading can be compared with it.</summary>
internal readonly record struct WatchedVersion(SqliteConnection Watcher, long Version);

/// <summary>The generation one request reads in: asked once, on first use, before anything is read.</summary>
internal sealed class RequestDataGeneration(SqliteDataVersions versions)
{
    private readonly Lazy<DataGeneration?> _value = new(versions.Ask, LazyThreadSafetyMode.None);

    public DataGeneration? Value => _value.Value;
}

/// <summary>The values read from one version of the database. Keys come from requests, so each store is bounded.</summary>
internal sealed class DataGeneration
{
    public const int MaxCounts = 10_000;

    /// <summary>The watcher's reading taken before this generation began; null when there was none.</summary>
    public WatchedVersion? Watched { get; init; }

    private long _documentBytes;

    public ConcurrentDictionary<object, int> Counts { get; } = new();

    public ConcurrentDictionary<string, CachedDocument> Documents { get; } = new();

    /// <summary>
    /// Keeps a document of <paramref name="bytes"/>. A generation that would hold more than <paramref name="limit"/>
    /// drops every document it has and starts over: a crawl of a million distinct job ids would otherwise fill it
    /// for good, and the first pages a dashboard polls would not be kept again until the next import. Hot documents
    /// come back at their next request. Concurrent adds around a flush can leave the count off by a few documents.
    /// </summary>
    public void Keep(string key, CachedDocument document, long bytes, long limit)
    {
        if (Interlocked.Add(ref _documentBytes, bytes) > limit)
        {
            lock (Documents)
            {
                if (Volatile.Read(ref _documentBytes) > limit)
                {
                    Documents.Clear();
                    Interlocked.Exchange(ref _documentBytes, bytes);
                }
            }
        }

        if (!Documents.TryAdd(key, document))
            Interlocked.Add(ref _documentBytes, -bytes);
    }
}

/// <summary>Pagination totals on SQLite: counted once per database version and key.</summary>
internal sealed class SqliteRowCounts(RequestDataGeneration generation) : IRowCounts
{
    public async ValueTask<int> CountAsync<T>(Func<IQueryable<T>> query, object key, CancellationToken cancellationToken)
    {
        // SQLite has no cheaper exact count than walking the matching index range (330,000 entries for
        // type=task at a million jobs), and a dashboard's repeated first page paid it on every request.
        if (generation.Value is not { Counts: var counts })
            return await query().CountAsync(cancellationToken);
        if (counts.TryGetValue(key, out var count))
            return count;

        count = await query().CountAsync(cancellationToken);
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
    public async ValueTask<int> CountAsync<T>(Func<IQueryable<T>> query, object key, CancellationToken cancellationToken) =>
        await query().CountAsync(cancellationToken);
}
