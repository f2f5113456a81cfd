using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Fails an SQLite open when the database file is gone. A pooled connection would otherwise go on reading the
/// deleted file's old contents; clearing the pool means a restored file is read again without a restart.
/// The file is looked at once per <see cref="RecheckedFile.Recheck"/> while it is there.
/// </summary>
internal sealed class SqliteFileGuard(string connectionString) : DbConnectionInterceptor
{
    private const int SqliteCantOpen = 14;

    private readonly RecheckedFile _file = new(new SqliteConnectionStringBuilder(connectionString).DataSource);

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

    /// <summary>Throws, as an open of the missing file would, when the database file is gone.</summary>
    public void Check(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite || _file.Path == ":memory:" || _file.Exists())
            return;
        SqliteConnection.ClearPool(sqlite);
        throw new SqliteException($"The database file is missing: {Path.GetFileName(_file.Path)}", SqliteCantOpen);
    }
}
