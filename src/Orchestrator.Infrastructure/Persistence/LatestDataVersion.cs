using System.Data.Common;
using System.Globalization;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>The data version now, read with no DbContext so that a cached document costs one statement (ADR 0006).</summary>
public sealed class LatestDataVersion(Func<DbConnection> connect, Action<DbConnection>? beforeOpen = null)
{
    public const string Query = "SELECT Version FROM DataVersion WHERE Id = 1";

    internal static LatestDataVersion Sqlite(string readOnlyConnectionString, int commandTimeoutSeconds) =>
        new(() => new SqliteConnection(readOnlyConnectionString) { DefaultTimeout = commandTimeoutSeconds },
            new SqliteFileGuard(readOnlyConnectionString).Check);

    internal static LatestDataVersion SqlServer(string connectionString) => new(() => new SqlConnection(connectionString));

    public async ValueTask<long> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = connect();
        beforeOpen?.Invoke(connection);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Query;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
