using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

// EF1001: SqliteRelationalConnection is EF Core's own ("internal") SQLite connection service; an EF Core upgrade
// that changes it fails this build, and the connection tests, rather than misbehaving.
#pragma warning disable EF1001
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// The requests' SQLite connection, without the SQL functions EF Core adds to every connection it creates
/// (<c>regexp</c> and the <c>ef_*</c> decimal arithmetic). Microsoft.Data.Sqlite registers a connection's functions
/// on the native handle at every open, about 12 µs, as long as all of SQLite's work for a one-job statement
/// (docs/performance.md). No request query uses them: the model has no decimal column and no query calls
/// <c>Regex.IsMatch</c>, which a test of every handler query's SQL keeps true. Import, seed and migrations use
/// EF Core's own connection.
/// </summary>
internal sealed class RequestSqliteConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    private readonly int? _commandTimeout = RelationalOptionsExtension.Extract(dependencies.ContextOptions).CommandTimeout;

    protected override DbConnection CreateDbConnection()
    {
        var connection = new SqliteConnection(GetValidatedConnectionString());
        if (_commandTimeout is { } seconds)
            connection.DefaultTimeout = seconds;
        return connection;
    }
}

internal static class RequestSqliteConnectionExtensions
{
    public static DbContextOptionsBuilder<TContext> UseRequestSqliteConnection<TContext>(this DbContextOptionsBuilder<TContext> builder)
        where TContext : DbContext =>
        builder.ReplaceService<ISqliteRelationalConnection, RequestSqliteConnection>();
}
