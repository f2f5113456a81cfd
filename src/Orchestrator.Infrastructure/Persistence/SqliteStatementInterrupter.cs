using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Orchestrator.Infrastructure.Persistence;

// Microsoft.Data.Sqlite's timeout only bounds waiting for a lock, and a cancelled token does not stop a statement
// it is stepping, so a statement still running when its timeout passes or its request is cancelled is interrupted.
internal sealed class SqliteStatementInterrupter : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<DbCommand, (CancellationTokenSource Deadline, CancellationTokenRegistration Interrupt)> _watches =
        new(ReferenceEqualityComparer.Instance);

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Start(command, CancellationToken.None, result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Start(command, cancellationToken, result));

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result) =>
        Stop(command, result);

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Start(command, CancellationToken.None, result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Start(command, cancellationToken, result));

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => Stop(command, result);

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Stop(command, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Start(command, CancellationToken.None, result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Start(command, cancellationToken, result));

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Stop(command, result);

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Stop(command, result));

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Stop(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Stop(command, Task.CompletedTask);

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Stop(command);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default) =>
        Stop(command, Task.CompletedTask);

    private T Start<T>(DbCommand command, CancellationToken cancellationToken, T result)
    {
        // A command run again before its reader was disposed keeps its first watch.
        if (command.Connection is not SqliteConnection { Handle: { } handle }
            || (command.CommandTimeout <= 0 && !cancellationToken.CanBeCanceled)
            || _watches.ContainsKey(command))
            return result;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (command.CommandTimeout > 0)
            deadline.CancelAfter(TimeSpan.FromSeconds(command.CommandTimeout));
        _watches[command] = (deadline, deadline.Token.UnsafeRegister(static h => raw.sqlite3_interrupt((sqlite3)h!), handle));
        return result;
    }

    private T Stop<T>(DbCommand command, T result)
    {
        Stop(command);
        return result;
    }

    private void Stop(DbCommand command)
    {
        if (!_watches.TryRemove(command, out var watch))
            return;
        // Disposing the registration waits for its callback if it is running, so no interrupt follows the watch's end.
        watch.Interrupt.Dispose();
        watch.Deadline.Dispose();
    }
}
