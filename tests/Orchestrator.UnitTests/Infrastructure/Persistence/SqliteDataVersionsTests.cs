using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Infrastructure.Persistence;
using static Orchestrator.UnitTests.TestSupport.SqliteTestDatabase;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>
/// Counts are reused only while no other connection has committed. Reuse is shown by asking again under the same
/// key with a query that would count differently: the first answer comes back.
/// </summary>
public sealed class SqliteDataVersionsTests
{
    private string _directory = null!;
    private string _connectionString = null!;
    private SqliteDataVersions _generations = null!;

    [SetUp]
    public void CreateDatabase()
    {
        _directory = Directory.CreateTempSubdirectory("row-counts-").FullName;
        _connectionString = $"Data Source={Path.Combine(_directory, "jobs.db")}";
        using (var writer = Writer())
        {
            writer.Database.Migrate();
            writer.Jobs.AddRange(Job(1), Job(2), Job(3));
            writer.SaveChanges();
        }

        _generations = new SqliteDataVersions(_connectionString + ";Mode=ReadOnly", 2);
    }

    [TearDown]
    public void DeleteDatabase()
    {
        _generations.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task The_same_key_is_answered_from_the_first_count_while_nothing_is_committed()
    {
        await using var reader = await Reader();

        var first = await Request().CountAsync(() => reader.Jobs, "all", CancellationToken.None);
        var again = await Request().CountAsync(() => reader.Jobs.Where(j => j.Id == 1), "all", CancellationToken.None);
        var otherKey = await Request().CountAsync(() => reader.Jobs.Where(j => j.Id == 1), "one", CancellationToken.None);

        Assert.That((first, again, otherKey), Is.EqualTo((3, 3, 1)));
    }

    [Test]
    public async Task A_commit_by_another_connection_makes_every_reader_count_again()
    {
        await using var one = await Reader();
        await using var two = await Reader();
        await Request().CountAsync(() => one.Jobs, "all", CancellationToken.None);
        await Request().CountAsync(() => two.Jobs, "all", CancellationToken.None);

        await using (var writer = Writer())
        {
            writer.Jobs.Add(Job(4));
            await writer.SaveChangesAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Request().CountAsync(() => two.Jobs, "all", CancellationToken.None), Is.EqualTo(4));
            Assert.That(await Request().CountAsync(() => one.Jobs, "all", CancellationToken.None), Is.EqualTo(4));
        }
    }

    [Test]
    public async Task A_connection_it_has_not_seen_before_joins_the_generation_while_nothing_is_committed()
    {
        await using var reader = await Reader();
        await Request().CountAsync(() => reader.Jobs, "all", CancellationToken.None);
        SqliteConnection.ClearAllPools(); // the next request asks on a new SQLite handle

        var count = await Request().CountAsync(() => reader.Jobs.Where(j => j.Id == 1), "all", CancellationToken.None);

        Assert.That(count, Is.EqualTo(3), "the watcher saw no commit, so the new handle's request reuses the count");
    }

    [Test]
    public async Task A_connection_it_has_not_seen_before_counts_again_after_a_commit()
    {
        await using var reader = await Reader();
        await Request().CountAsync(() => reader.Jobs, "all", CancellationToken.None);
        SqliteConnection.ClearAllPools();
        await using (var writer = Writer())
        {
            writer.Jobs.Add(Job(4));
            await writer.SaveChangesAsync();
        }

        // The new handle has nothing to compare its own version with; the watcher saw the commit.
        var count = await Request().CountAsync(() => reader.Jobs.Where(j => j.Id == 1), "all", CancellationToken.None);

        Assert.That(count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_file_that_went_missing_and_came_back_starts_a_new_generation()
    {
        await using (var reader = await Reader())
            await Request().CountAsync(() => reader.Jobs, "all", CancellationToken.None);
        SqliteConnection.ClearAllPools();
        var path = Path.Combine(_directory, "jobs.db");
        File.Move(path, path + ".away");
        await Task.Delay(RecheckedFile.Recheck * 3); // past the last look that saw it there

        var whileMissing = _generations.Ask();
        File.Move(path + ".away", path);
        await using var back = await Reader();
        var count = await Request().CountAsync(() => back.Jobs.Where(j => j.Id == 1), "all", CancellationToken.None);

        Assert.That((whileMissing, count), Is.EqualTo(((DataGeneration?)null, 1)),
            "a new watcher cannot vouch for the generation the one before it stamped");
    }

    [Test]
    public async Task Without_a_database_version_it_just_counts()
    {
        await using var reader = await Reader();
        // Asked about a file that is not there, the versions answer nothing (a request would then fail on its own).
        var missing = new SqliteDataVersions($"Data Source={Path.Combine(_directory, "gone.db")};Mode=ReadOnly", 2);
        var counts = new SqliteRowCounts(new RequestDataGeneration(missing));

        var first = await counts.CountAsync(() => reader.Jobs, "all", CancellationToken.None);
        var second = await counts.CountAsync(() => reader.Jobs.Where(j => j.Id == 1), "all", CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((3, 1)));
    }

    [Test]
    public void A_full_document_store_starts_over_and_none_over_the_document_limit_is_kept()
    {
        var shelf = new DocumentShelf(new DataGeneration(), limit: 2_500);

        shelf.Add("first", new CachedDocument(new byte[1_000], "application/json", "tag"));
        shelf.Add("second", new CachedDocument(new byte[1_000], "application/json", "tag"));
        shelf.Add("third", new CachedDocument(new byte[1_000], "application/json", "tag")); // over 2,500: start over
        shelf.Add("fourth", new CachedDocument(new byte[1_000], "application/json", "tag"));
        var roomy = new DocumentShelf(new DataGeneration(), limit: long.MaxValue);
        roomy.Add("too big", new CachedDocument(new byte[DocumentShelf.MaxDocumentBytes + 1], "application/json", "tag"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(shelf.TryGet("first", out _), Is.False);
            Assert.That(shelf.TryGet("second", out _), Is.False);
            Assert.That(shelf.TryGet("third", out var kept), Is.True);
            Assert.That(kept.Body, Has.Length.EqualTo(1_000));
            Assert.That(shelf.TryGet("fourth", out _), Is.True);
            Assert.That(roomy.TryGet("too big", out _), Is.False);
        }
    }

    [Test]
    public async Task Documents_and_counts_go_with_their_generation()
    {
        await using var reader = await Reader();
        var connection = (SqliteConnection)reader.Database.GetDbConnection();
        var before = _generations.Current(connection);
        before.Documents["/jobs"] = new CachedDocument([1], "application/json", "tag");

        await using (var writer = Writer())
        {
            writer.Jobs.Add(Job(4));
            await writer.SaveChangesAsync();
        }

        var after = _generations.Current(connection);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after, Is.Not.SameAs(before));
            Assert.That(after.Documents, Is.Empty);
            Assert.That(_generations.Current(connection), Is.SameAs(after), "nothing committed since");
        }
    }

    [Test]
    public async Task One_commit_starts_one_generation_however_many_connections_notice_it()
    {
        await using var one = await Reader();
        await using var two = await Reader();
        var first = (SqliteConnection)one.Database.GetDbConnection();
        var second = (SqliteConnection)two.Database.GetDbConnection();
        var before = _generations.Current(first);
        Assert.That(_generations.Current(second), Is.SameAs(before));

        await using (var writer = Writer())
        {
            writer.Jobs.Add(Job(4));
            await writer.SaveChangesAsync();
        }

        var after = _generations.Current(second);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after, Is.Not.SameAs(before));
            Assert.That(_generations.Current(first), Is.SameAs(after), "the watcher saw no commit since the new generation began");
        }
    }

    /// <summary>The counts of one request: it asks for the database version once, on first use.</summary>
    private SqliteRowCounts Request() => new(new RequestDataGeneration(_generations));

    private SqliteOrchestratorDbContext Writer() => Context(_connectionString);

    private async Task<SqliteOrchestratorDbContext> Reader()
    {
        var reader = Context(_connectionString + ";Mode=ReadOnly");
        await reader.Database.OpenConnectionAsync();
        return reader;
    }

    private static SqliteOrchestratorDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<SqliteOrchestratorDbContext>().UseSqlite(connectionString).Options);
}
