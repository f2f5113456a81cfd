using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

public sealed class SqliteFileGuardTests
{
    private string _file = null!;
    private string _connectionString = null!;

    [SetUp]
    public void CreateFile()
    {
        _file = Path.Combine(Path.GetTempPath(), $"guard-{Guid.NewGuid():N}.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _file }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
    }

    [TearDown]
    public void DeleteFile()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
        File.Delete(_file + ".aside");
    }

    private static void Open(SqliteFileGuard guard, string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        guard.ConnectionOpening(connection, null!, default);
    }

    [Test]
    public void A_missing_file_fails_the_open_once_its_last_look_is_older_than_the_recheck_and_a_restored_one_opens()
    {
        var guard = new SqliteFileGuard(_connectionString);
        Open(guard, _connectionString);

        File.Move(_file, _file + ".aside");
        Thread.Sleep(SqliteFileGuard.Recheck * 3);
        var missing = Assert.Throws<SqliteException>(() => Open(guard, _connectionString));
        File.Move(_file + ".aside", _file);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(missing.SqliteErrorCode, Is.EqualTo(14));
            Assert.That(() => Open(guard, _connectionString), Throws.Nothing);
        }
    }

    [Test]
    public void A_file_missing_at_the_first_open_fails_it()
    {
        File.Delete(_file);

        Assert.Throws<SqliteException>(() => Open(new SqliteFileGuard(_connectionString), _connectionString));
    }
}
