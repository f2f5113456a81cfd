namespace Orchestrator.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>How a request's statements see the database on SQL Server (SQLite always reads one snapshot).</summary>
public enum RequestIsolation
{
    /// <summary>Every statement of a request reads the same committed state; the database must allow snapshot isolation.</summary>
    Snapshot,

    /// <summary>Each statement reads the latest commit: a total may disagree with its page while an import commits.</summary>
    ReadCommitted,
}

/// <summary>The <c>Database</c> configuration section; the connection string is <c>ConnectionStrings:Orchestrator</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public const string ConnectionStringName = "Orchestrator";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite is always migrated at start-up; SQL Server only when this is true (or by the <c>migrate</c> verb).</summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>How long one SQL command may run before the request fails.</summary>
    public int CommandTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long one SQL command of a verb (<c>import</c>, <c>seed</c>, <c>migrate</c>, and migrations at start-up)
    /// may run: they delete, insert and index whole datasets, which the request timeout is far too short for.
    /// </summary>
    public int VerbCommandTimeoutSeconds { get; set; } = 600;

    /// <summary>SQLite only: the page cache of each pooled connection, in MB (SQLite's own default is 2).</summary>
    public int SqliteCacheSizeMb { get; set; } = 64;

    /// <summary>SQL Server: <see cref="RequestIsolation.ReadCommitted"/> lets the API start on a database without snapshot isolation.</summary>
    public RequestIsolation RequestIsolation { get; set; } = RequestIsolation.Snapshot;

    /// <summary>How many MB of whole documents are kept for reuse until the data version changes; 0 turns it off.</summary>
    public int DocumentCacheMb { get; set; } = 64;

    /// <summary>SQLite only: how much of the file each connection reads through memory-mapped I/O, in MB; 0 turns it off.</summary>
    public long SqliteMmapSizeMb { get; set; }
}
