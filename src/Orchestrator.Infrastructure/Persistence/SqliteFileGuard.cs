using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Orchestrator.Infrastructure.Persistence;

// A pooled connection would go on reading a deleted file; clearing the pool means a restored file is read again.
internal sealed class SqliteFileGuard(string connectionString) : DbConnectionInterceptor
{
    // How long a file seen is taken to be there: a look at every open costs (docs/performance.md).
    public static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(20);

    private readonly string _path = new SqliteConnectionStringBuilder(connectionString).DataSource;

    private long _nextLook; // Environment.TickCount64

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

    public void Check(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite || _path == ":memory:" || FileIsThere())
            return;
        SqliteConnection.ClearPool(sqlite);
        throw new SqliteException($"The database file is missing: {Path.GetFileName(_path)}", SQLitePCL.raw.SQLITE_CANTOPEN);
    }

    private bool FileIsThere()
    {
        var now = Environment.TickCount64;
        if (now < Volatile.Read(ref _nextLook))
            return true;
        if (!File.Exists(_path))
            return false;
        Volatile.Write(ref _nextLook, now + (long)Recheck.TotalMilliseconds);
        return true;
    }
}
