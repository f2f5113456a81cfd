using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>The request's read transaction, so that all its statements and its <see cref="DataVersion"/> see one commit (ADR 0006).</summary>
public sealed class RequestSnapshot(RequestDbContext request, IOptions<DatabaseOptions> options) : IAsyncDisposable
{
    private readonly OrchestratorDbContext _context = request.Context;

    private DbTransaction? _sqliteTransaction;
    private IDbContextTransaction? _transaction;

    public long? Version { get; private set; }

    public async ValueTask<long> VersionAsync(CancellationToken cancellationToken)
    {
        if (Version is { } version)
            return version;
        await BeginAsync(cancellationToken);
        Version = await CompiledStatements.ReadVersion(_context).FirstOrDefaultAsync(cancellationToken);
        return Version.Value;
    }

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
            var isolation = options.Value.RequestIsolation == RequestIsolation.Snapshot ? IsolationLevel.Snapshot : IsolationLevel.ReadCommitted;
            _transaction = await _context.Database.BeginTransactionAsync(isolation, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
            await _transaction.DisposeAsync();
        if (_sqliteTransaction is not null)
            await _sqliteTransaction.DisposeAsync();
    }
}

/// <summary>The context the request's handlers read through (<c>IOrchestratorDbContext</c>), as the context it is.</summary>
public sealed record RequestDbContext(OrchestratorDbContext Context);
