using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>Stops the start, with the statement to run, on a SQL Server database the API cannot serve from.</summary>
public sealed class SqlServerReadiness(OrchestratorDbContext db, IOptions<DatabaseOptions> options, ILogger<SqlServerReadiness> logger)
{
    public const int MinimumCompatibilityLevel = 130;

    public const string SettingsQuery =
        "SELECT DB_NAME() AS Name, CAST(compatibility_level AS int) AS CompatibilityLevel, " +
        "CAST(snapshot_isolation_state AS int) AS SnapshotIsolationState, is_read_committed_snapshot_on AS ReadCommittedSnapshot " +
        "FROM sys.databases WHERE database_id = DB_ID()";

    public async Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.Provider != DatabaseProvider.SqlServer)
            return;

        DatabaseSettings settings;
        try
        {
            settings = (await db.Database.SqlQueryRaw<DatabaseSettings>(SettingsQuery).ToListAsync(cancellationToken)).Single();
        }
        catch (DbException e)
        {
            // Serve anyway: requests answer 503 until the server is back, and a rolling start must not crash-loop.
            logger.LogWarning("Could not check the SQL Server database's settings ({Error}); requests fail until it answers", e.Message);
            return;
        }

        var problems = string.Join(" ", Problems(settings, options.Value.RequestIsolation));
        if (problems.Length > 0)
            throw new InvalidOperationException(problems);

        if (options.Value.RequestIsolation == RequestIsolation.ReadCommitted)
            logger.LogWarning("Database:RequestIsolation is ReadCommitted: while an import commits, a request's total may disagree with its page");
        if (!settings.ReadCommittedSnapshot)
            logger.LogWarning(
                "READ_COMMITTED_SNAPSHOT is off on {Database}: imports will block readers outside the API (docs/operations.md)", settings.Name);
    }

    public static IEnumerable<string> Problems(DatabaseSettings settings, RequestIsolation isolation)
    {
        if (settings.CompatibilityLevel < MinimumCompatibilityLevel)
            yield return $"Database {settings.Name} has compatibility level {settings.CompatibilityLevel}; " +
                $"the API needs {MinimumCompatibilityLevel} or more (SQL Server 2016 or later). " +
                $"Run: ALTER DATABASE [{settings.Name}] SET COMPATIBILITY_LEVEL = {MinimumCompatibilityLevel};";
        if (isolation == RequestIsolation.Snapshot && settings.SnapshotIsolationState != 1)
            yield return $"Database {settings.Name} does not allow snapshot isolation, which every request reads at. " +
                $"Run: ALTER DATABASE [{settings.Name}] SET ALLOW_SNAPSHOT_ISOLATION ON; " +
                "(or set Database:RequestIsolation=ReadCommitted to accept inconsistent pages while imports commit).";
    }

    public sealed record DatabaseSettings
    {
        public string Name { get; init; } = "";

        public int CompatibilityLevel { get; init; }

        // 0 off, 1 on, 2 and 3 on the way to off and on.
        public int SnapshotIsolationState { get; init; }

        public bool ReadCommittedSnapshot { get; init; }
    }
}
