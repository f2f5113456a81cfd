using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// One read transaction per request, so that every statement of a request (the version, the count, the page, the
/// node counts, the histories) reads the same committed state. SQLite: a deferred transaction, whose snapshot (WAL)
/// is taken by its first read. SQL Server: SNAPSHOT isolation, which the start-up check makes sure the database
/// allows (<see cref="SqlServerReadiness"/>). The <see cref="DataVersion"/> read in it is the version of everything
/// the request reads, so it is the one a cache keys what the request read on.
/// </summary>
public sealed class RequestSnapshot(RequestDbContext request, IOptions<DatabaseOptions> options) : IAsyncDisposable
{
    private readonly OrchestratorDbContext _context = request.Context;

    private DbTransaction? _sqliteTransaction;
    private IDbContextTransaction? _transaction;
    private long? _version;

    /// <summary>The data version the request reads in, once something asked for it; null before.</summary>
    public long? Version => _version;

    /// <summary>
    /// The data version the request reads in, read once in its snapshot: whichever statement of the transaction
    /// comes first, they all see the same commit.
    /// </summary>
    public async ValueTask<long> VersionAsync(CancellationToken cancellationToken)
    {
        if (_version is { } version)
            return version;
        await BeginAsync(cancellationToken);
        _version = await _context.DataVersions.Where(v => v.Id == DataVersion.RowId).Select(v => v.Version).FirstOrDefaultAsync(cancellationToken);
        return _version.Value;
    }

    /// <summary>Opens the request's connection and begins its read transaction, once.</summary>
    public async ValueTask BeginAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
            return;
        await _context.Database.OpenConnectionAsync(cancellationToken);
        if (_context.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            // Microsoft.Data.Sqlite begins IMMEDIATE (a write lock) unless asked for a deferred transaction.
            _sqliteTransaction = sqlite.BeginTransaction(deferred: true);
            _transaction = await _context.Database.UseTransactionAsync(_sqliteTransaction, cancellationToken);
        }
        else
        {
            var isolation = options.Value.RequestIsolation == RequestIsolation.Snapshot
                ? IsolationLevel.Snapshot
                : IsolationLevel.ReadCommitted;
            _transaction = await _context.Database.BeginTransactionAsync(isolation, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Nothing was written: ending the transaction only releases the snapshot.
        if (_transaction is not null)
            await _transaction.DisposeAsync();
        if (_sqliteTransaction is not null)
            await _sqliteTransaction.DisposeAsync();
    }
}

/// <summary>The context the request's handlers read through (<c>IOrchestratorDbContext</c>), as the context it is.</summary>
public sealed record RequestDbContext(OrchestratorDbContext Context);
