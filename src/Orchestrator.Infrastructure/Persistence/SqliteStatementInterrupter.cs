using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Orchestrator.Infrastructure.Persistence;

// Microsoft.Data.Sqlite's timeout only bounds waiting for a lock, and a cancelled token does not stop a statement
// it is stepping, so a query still running when its timeout passes or its request is cancelled is interrupted.
internal sealed class SqliteStatementInterrupter : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<DbCommand, Watch> _watches = new(ReferenceEqualityComparer.Instance);

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Start(command, CancellationToken.None);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Start(command, cancellationToken);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Stop(command);
        return result;
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Stop(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(command);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Stop(command);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(command);
        return Task.CompletedTask;
    }

    private void Start(DbCommand command, CancellationToken cancellationToken)
    {
        if (command.Connection is not SqliteConnection { Handle: { } handle }
            || (command.CommandTimeout <= 0 && !cancellationToken.CanBeCanceled))
            return;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (command.CommandTimeout > 0)
            deadline.CancelAfter(TimeSpan.FromSeconds(command.CommandTimeout));
        var watch = new Watch(deadline, deadline.Token.UnsafeRegister(static h => raw.sqlite3_interrupt((sqlite3)h!), handle));
        // The same command object run again before its reader was disposed keeps the first watch.
        if (!_watches.TryAdd(command, watch))
            watch.Dispose();
    }

    private void Stop(DbCommand command)
    {
        if (_watches.TryRemove(command, out var watch))
            watch.Dispose();
    }

    private readonly record struct Watch(CancellationTokenSource Deadline, CancellationTokenRegistration Interrupt) : IDisposable
    {
        // Disposing the registration waits for its callback if it is running, so no interrupt follows the watch's end.
        public void Dispose()
        {
            Interrupt.Dispose();
            Deadline.Dispose();
        }
    }
}
