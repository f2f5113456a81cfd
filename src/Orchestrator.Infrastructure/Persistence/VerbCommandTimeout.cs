using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Orchestrator.Infrastructure.Persistence;

public static class VerbCommandTimeout
{
    public static OrchestratorDbContext UseVerbCommandTimeout(this OrchestratorDbContext db, DatabaseOptions options)
    {
        db.Database.SetCommandTimeout(options.VerbCommandTimeoutSeconds);
        // The SQLite bulk writer prepares its own commands on the context's connection, which take its default.
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
            sqlite.DefaultTimeout = options.VerbCommandTimeoutSeconds;
        return db;
    }
}
