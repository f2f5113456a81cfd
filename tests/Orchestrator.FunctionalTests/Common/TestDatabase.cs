using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Orchestrator.FunctionalTests.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.FunctionalTests.Common;

/// <summary>
/// A migrated database of the test's own, removed on dispose: a SQLite file in a temporary folder, or a fresh
/// database on the SQL Server named by <c>ORCHESTRATOR_TEST_SQLSERVER</c> when that is set.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _sqlServer;

    private TestDatabase(string? folder, string? sqlServer)
    {
        _folder = folder;
        _sqlServer = sqlServer;
    }

    public bool IsSqlServer => _sqlServer is not null;

    public static async Task<TestDatabase> CreateAsync()
    {
        var sqlServer = SqlServerTestServer.NewDatabaseConnectionString();
        TestDatabase database;
        if (sqlServer is not null)
        {
            SqlServerTestServer.CreateDatabase(sqlServer);
            database = new TestDatabase(null, sqlServer);
        }
        else
        {
            var folder = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            database = new TestDatabase(folder, null);
        }

        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    public OrchestratorDbContext CreateContext() =>
        _sqlServer is not null
            ? new SqlServerOrchestratorDbContext(new DbContextOptionsBuilder<SqlServerOrchestratorDbContext>().UseSqlServer(_sqlServer).Options)
            : new SqliteOrchestratorDbContext(new DbContextOptionsBuilder<SqliteOrchestratorDbContext>()
                .UseSqlite($"Data Source={Path.Combine(_folder!, "orchestrator.db")}").Options);

    /// <summary>Every row of every table, in key order, as text: equal dumps mean equal databases.</summary>
    public async Task<string> DumpAsync()
    {
        await using var db = CreateContext();
        var text = new StringBuilder();
        foreach (var j in await db.Jobs.AsNoTracking().OrderBy(j => j.Id).ToListAsync())
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"job|{j.Id}|{j.Type}|{j.State}|{j.Command}|{j.Description}|{j.EnvironmentName}|{j.OwnerId}|{j.OwnerLogin}|{j.OwnerJson}|{j.OptionsJson}|{j.UserdataJson}|{j.TaskName}|{Time(j.Timestamp)}|{Time(j.FinishedAt)}");
        }
        foreach (var s in await db.JobStatuses.AsNoTracking().OrderBy(s => s.Id).ToListAsync())
            text.AppendLine(CultureInfo.InvariantCulture, $"status|{s.Id}|{s.JobId}|{s.State}|{Time(s.EnterTime)}|{Time(s.ExitTime)}");
        foreach (var n in await db.JobNodes.AsNoTracking().OrderBy(n => n.Id).ToListAsync())
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"node|{n.Id}|{n.JobId}|{n.Name}|{n.State}|{Time(n.Timestamp)}|{Time(n.StartTimestamp)}|{Time(n.FinishTimestamp)}|{n.TransactionUuid}|{n.Transport}|{n.DetailsJson}|{n.ResultJson}");
        }
        foreach (var e in await db.NodeEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync())
            text.AppendLine(CultureInfo.InvariantCulture, $"event|{e.Id}|{e.JobId}|{e.NodeId}|{e.Type}|{Time(e.Timestamp)}|{e.Message}|{e.DetailsJson}");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqlServer is not null)
        {
            SqlServerTestServer.DropDatabase(_sqlServer);
            return;
        }

        // Pooled connections keep the file open, which would stop the folder from being deleted.
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        try
        {
            Directory.Delete(_folder!, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the test over it is not.
        }
    }

    private static string Time(DateTime? value) =>
        value is { } v ? $"{v.ToString("O", CultureInfo.InvariantCulture)}/{v.Kind}" : "-";
}
