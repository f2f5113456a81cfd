using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Page cache and memory-mapped I/O of each SQLite connection (<c>Database:SqliteCacheSizeMb</c>,
/// <c>Database:SqliteMmapSizeMb</c>). SQLite's default cache is 2 MB a connection, so at a million jobs even
/// <c>COUNT(*)</c> over the narrowest index re-reads its pages from the OS on every request; see docs/performance.md.
/// The settings belong to SQLite's connection handle, which the pool keeps open between requests, so each handle
/// is set once rather than on every open (a statement less per request).
/// </summary>
internal sealed class SqliteConnectionSettings(DatabaseOptions options) : DbConnectionInterceptor
{
    private static readonly object Applied = new();

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
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && _applied.TryGetValue(handle, out _))
            return;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
        }

        if (handle is not null)
            _applied.AddOrUpdate(handle, Applied);
    }
}
