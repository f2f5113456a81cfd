using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Bounds a running SQLite statement. Microsoft.Data.Sqlite's command timeout only limits waiting for a lock, and it
/// steps statements synchronously, so neither the timeout nor a cancelled request stops a statement that is already
/// running. This interceptor calls <c>sqlite3_interrupt</c> on the connection's handle when the command's timeout
/// (<c>Database:CommandTimeoutSeconds</c>) passes or the request is cancelled, from the command's start until its
/// reader is disposed; SQLite then fails the statement with <c>SQLITE_INTERRUPT</c>, a <see cref="SqliteException"/>
/// that the API answers as 503 <c>database-unavailable</c>. The watch ends before the connection can run anything
/// else, so an interrupt never reaches a later statement.
/// </summary>
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

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Start(command, CancellationToken.None);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Start(command, cancellationToken);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Stop(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Stop(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Start(command, CancellationToken.None);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Start(command, cancellationToken);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Stop(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Stop(command);
        return ValueTask.FromResult(result);
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
        if (command.Connection is not SqliteConnection { Handle: { } handle })
            return;
        var timeout = command.CommandTimeout > 0 ? TimeSpan.FromSeconds(command.CommandTimeout) : Timeout.InfiniteTimeSpan;
        if (timeout == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled)
            return;
        var watch = new Watch(handle, timeout, cancellationToken);
        if (_watches.TryAdd(command, watch))
            return;
        // The same command object run again before its reader was disposed: keep the first watch.
        watch.Dispose();
    }

    private void Stop(DbCommand command)
    {
        if (_watches.TryRemove(command, out var watch))
            watch.Dispose();
    }

    /// <summary>The timer and the request's cancellation, each interrupting the handle until disposed.</summary>
    private sealed class Watch : IDisposable
    {
        private readonly CancellationTokenSource _timer;
        private readonly CancellationTokenRegistration _onTimeout;
        private readonly CancellationTokenRegistration _onCancel;

        public Watch(sqlite3 handle, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _timer = new CancellationTokenSource(timeout);
            _onTimeout = _timer.Token.UnsafeRegister(Interrupt, handle);
            _onCancel = cancellationToken.UnsafeRegister(Interrupt, handle);
        }

        // Disposing a registration waits for its callback if it is running, so no interrupt follows the watch's end.
        public void Dispose()
        {
            _onTimeout.Dispose();
            _onCancel.Dispose();
            _timer.Dispose();
        }

        private static void Interrupt(object? handle) => raw.sqlite3_interrupt((sqlite3)handle!);
    }
}
