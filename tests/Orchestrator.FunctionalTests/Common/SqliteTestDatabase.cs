using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.FunctionalTests.Common;

/// <summary>A migrated SQLite database file in its own temporary folder, removed on dispose.</summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly string _folder;

    private SqliteTestDatabase(string folder)
    {
        _folder = folder;
        ConnectionString = $"Data Source={Path.Combine(folder, "orchestrator.db")}";
    }

    public string ConnectionString { get; }

    public static async Task<SqliteTestDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new SqliteTestDatabase(folder);
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    public SqliteOrchestratorDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqliteOrchestratorDbContext>().UseSqlite(ConnectionString).Options);

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
        // Pooled connections keep the file open, which would stop the folder from being deleted.
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the test over it is not.
        }
    }

    private static string Time(DateTime? value) =>
        value is { } v ? $"{v.ToString("O", CultureInfo.InvariantCulture)}/{v.Kind}" : "-";
}
