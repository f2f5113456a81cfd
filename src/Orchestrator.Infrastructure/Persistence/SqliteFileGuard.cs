using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Fails an SQLite open when the database file is gone. A pooled connection would otherwise go on reading the
/// deleted file's old contents; clearing the pool means a restored file is read again without a restart.
/// </summary>
internal sealed class SqliteFileGuard : DbConnectionInterceptor
{
    private const int SqliteCantOpen = 14;

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Check(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Check(connection);
        return ValueTask.FromResult(result);
    }

    // The file each connection string names, parsed once (a request's context always brings the same string).
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);

    private void Check(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite)
            return;
        var file = _files.GetOrAdd(sqlite.ConnectionString, static s => new SqliteConnectionStringBuilder(s).DataSource);
        if (file == ":memory:" || File.Exists(file))
            return;
        SqliteConnection.ClearPool(sqlite);
        throw new SqliteException($"The database file is missing: {Path.GetFileName(file)}", SqliteCantOpen);
    }
}
