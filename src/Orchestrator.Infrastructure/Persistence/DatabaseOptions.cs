namespace Orchestrator.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

public enum RequestIsolation
{
    Snapshot,
    ReadCommitted,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public const string ConnectionStringName = "Orchestrator";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public bool MigrateOnStartup { get; set; }

    public int CommandTimeoutSeconds { get; set; } = 5;

    public int VerbCommandTimeoutSeconds { get; set; } = 600;

    public int SqliteCacheSizeMb { get; set; } = 64;

    public RequestIsolation RequestIsolation { get; set; } = RequestIsolation.Snapshot;

    public int DocumentCacheMb { get; set; } = 64;

    public long SqliteMmapSizeMb { get; set; }
}
