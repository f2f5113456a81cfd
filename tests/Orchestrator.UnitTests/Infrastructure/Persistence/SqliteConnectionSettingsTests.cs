using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Orchestrator.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>
/// The request contexts' connection settings: applied to each SQLite handle when it is first opened, kept while the
/// pool keeps the handle, and applied again to a new handle.
/// </summary>
public sealed class SqliteConnectionSettingsTests
{
    private string _directory = null!;
    private string _connectionString = null!;
    private PooledDbContextFactory<SqliteOrchestratorDbContext> _contexts = null!;

    [SetUp]
    public void CreateDatabase()
    {
        _directory = Directory.CreateTempSubdirectory("connection-settings-").FullName;
        var path = Path.Combine(_directory, "jobs.db");
        using (var writer = new SqliteOrchestratorDbContext(
            new DbContextOptionsBuilder<SqliteOrchestratorDbContext>().UseSqlite($"Data Source={path}").Options))
        {
            writer.Database.Migrate();
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString();
        _contexts = new PooledDbContextFactory<SqliteOrchestratorDbContext>(DependencyInjection.ReadOnlySqliteOptions(
            _connectionString, new DatabaseOptions { SqliteCacheSizeMb = 48, SqliteMmapSizeMb = 1 }, loggerFactory: null));
    }

    [TearDown]
    public void DeleteDatabase()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Each_open_of_a_request_context_has_the_settings()
    {
        for (var request = 0; request < 3; request++)
        {
            await using var db = _contexts.CreateDbContext();
            await db.Database.OpenConnectionAsync();

            Assert.That(await Pragmas(db), Is.EqualTo((-48 * 1024L, 1024L * 1024L)), $"request {request}");
        }
    }

    [Test]
    public async Task A_new_handle_gets_the_settings_again()
    {
        await using (var first = _contexts.CreateDbContext())
            await first.Database.OpenConnectionAsync();
        SqliteConnection.ClearAllPools(); // the next open creates a new SQLite handle

        await using var db = _contexts.CreateDbContext();
        await db.Database.OpenConnectionAsync();

        Assert.That(await Pragmas(db), Is.EqualTo((-48 * 1024L, 1024L * 1024L)));
    }

    [Test]
    public async Task Request_connections_have_the_command_timeout()
    {
        await using var db = _contexts.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();

        Assert.That(connection.DefaultTimeout, Is.EqualTo(new DatabaseOptions().CommandTimeoutSeconds));
    }

    private static async Task<(long CacheSize, long MmapSize)> Pragmas(DbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size";
        var cacheSize = (long)(await command.ExecuteScalarAsync())!;
        command.CommandText = "PRAGMA mmap_size";
        var mmapSize = (long)(await command.ExecuteScalarAsync())!;
        return (cacheSize, mmapSize);
    }
}
