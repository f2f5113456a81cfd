using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Orchestrator.Infrastructure.Persistence;

// The PRAGMAs belong to SQLite's handle, which the pool keeps open between requests, so each handle is set once.
internal sealed class SqliteConnectionSettings(DatabaseOptions options) : DbConnectionInterceptor
{
    private readonly ConditionalWeakTable<sqlite3, object> _applied = [];
    private readonly string _pragmas = string.Create(CultureInfo.InvariantCulture,
        $"PRAGMA cache_size=-{options.SqliteCacheSizeMb * 1024}; PRAGMA mmap_size={options.SqliteMmapSizeMb * 1024 * 1024};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } || _applied.TryGetValue(handle, out _))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        _applied.AddOrUpdate(handle, _pragmas);
    }
}
