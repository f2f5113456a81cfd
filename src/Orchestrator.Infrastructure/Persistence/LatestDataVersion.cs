using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// The data version as it is now, read on a pooled connection of its own: one statement, which is its own snapshot.
/// The document cache asks it before anything else, so an answer it holds costs this one statement and no DbContext,
/// transaction or query pipeline. A request that runs reads the version again, first in its own snapshot
/// (<see cref="RequestSnapshot"/>), and that is the version its document is kept under.
/// </summary>
public sealed class LatestDataVersion
{
    public const string Query = "SELECT Version FROM DataVersion WHERE Id = 1";

    private readonly Func<DbConnection> _connect;
    private readonly SqliteFileGuard? _guard;

    private LatestDataVersion(Func<DbConnection> connect, SqliteFileGuard? guard) => (_connect, _guard) = (connect, guard);

    internal static LatestDataVersion Sqlite(string readOnlyConnectionString, int commandTimeoutSeconds) =>
        new(() => new SqliteConnection(readOnlyConnectionString) { DefaultTimeout = commandTimeoutSeconds },
            new SqliteFileGuard(readOnlyConnectionString));

    internal static LatestDataVersion SqlServer(string connectionString) =>
        new(() => new Microsoft.Data.SqlClient.SqlConnection(connectionString), guard: null);

    public async ValueTask<long> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = _connect();
        _guard?.Check(connection); // a pooled SQLite handle would go on reading a deleted file
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Query;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
