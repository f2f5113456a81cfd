using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Orchestrator.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.TestSupport;

/// <summary>
/// A SQL Server context that never reaches a server: opening, transactions and commands are intercepted, their
/// SQL and isolation levels recorded, and each query answered with the one row <see cref="Row"/> holds.
/// </summary>
public sealed class ServerlessSqlServer : DbCommandInterceptor, IDbConnectionInterceptor, IDbTransactionInterceptor
{
    private const string NeverOpened = "Server=localhost;Database=x;Integrated Security=true;TrustServerCertificate=true";

    public List<string> Statements { get; } = [];

    public List<IsolationLevel> Transactions { get; } = [];

    /// <summary>The columns and values of the row every query reads.</summary>
    public Dictionary<string, object> Row { get; } = new() { ["Value"] = 0L };

    public SqlServerOrchestratorDbContext Context() =>
        new(new DbContextOptionsBuilder<SqlServerOrchestratorDbContext>()
            .UseSqlServer(NeverOpened, sql => sql.UseParameterizedCollectionMode(DependencyInjection.CollectionMode))
            .AddInterceptors(this)
            .Options);

    public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    public InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Transactions.Add(eventData.IsolationLevel);
        return InterceptionResult<DbTransaction>.SuppressWithResult(new NoTransaction(connection, eventData.IsolationLevel));
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarting(connection, eventData, result));

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Statements.Add(command.CommandText);
        var table = new DataTable();
        foreach (var (name, value) in Row)
            table.Columns.Add(name, value.GetType());
        table.Rows.Add([.. Row.Values]);
        return InterceptionResult<DbDataReader>.SuppressWithResult(table.CreateDataReader());
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ReaderExecuting(command, eventData, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Statements.Add(command.CommandText);
        return InterceptionResult<int>.SuppressWithResult(1);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(NonQueryExecuting(command, eventData, result));

    private sealed class NoTransaction(DbConnection connection, IsolationLevel isolation) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolation;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }
}
