using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Infrastructure.Persistence;

public sealed class DatabaseInitializer(OrchestratorDbContext db, IOptions<DatabaseOptions> options, ILogger<DatabaseInitializer> logger)
{
    public Task MigrateIfAllowedAsync(CancellationToken cancellationToken = default) =>
        options.Value.Provider == DatabaseProvider.Sqlite || options.Value.MigrateOnStartup ? MigrateAsync(cancellationToken) : Task.CompletedTask;

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
