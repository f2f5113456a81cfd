using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Persistence;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>The request's read transaction, so that all its statements and its <see cref="DataVersion"/> see one commit (ADR 0006).</summary>
public sealed class RequestSnapshot(IOrchestratorDbContext db, IOptions<DatabaseOptions> options) : IAsyncDisposable
{
    private static readonly CompiledQuery<Func<DbContext, CancellationToken, Task<long>>> ReadVersion =
        new(() => EF.CompileAsyncQuery((DbContext context, CancellationToken _) =>
            context.Set<DataVersion>().Where(v => v.Id == DataVersion.RowId).Select(v => v.Version).FirstOrDefault()));

    private readonly DbContext _context = db.Context();

    private DbTransaction? _sqliteTransaction;
    private IDbContextTransaction? _transaction;

    public long? Version { get; private set; }

    public async ValueTask<long> VersionAsync(CancellationToken cancellationToken)
    {
        if (Version is { } version)
            return version;
        await BeginAsync(cancellationToken);
        Version = await ReadVersion.For(_context)(_context, cancellationToken);
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
