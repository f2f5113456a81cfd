using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>Applies migrations: at start-up always on SQLite, on SQL Server only with <c>Database:MigrateOnStartup</c>.</summary>
public sealed class DatabaseInitializer(OrchestratorDbContext db, IOptions<DatabaseOptions> options, ILogger<DatabaseInitializer> logger)
{
    public async Task MigrateIfAllowedAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.Provider == DatabaseProvider.Sqlite || options.Value.MigrateOnStartup)
            await MigrateAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        db.UseVerbCommandTimeout(options.Value);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToArray();
        if (pending.Length == 0)
            return;
        logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Length, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
    }
}
