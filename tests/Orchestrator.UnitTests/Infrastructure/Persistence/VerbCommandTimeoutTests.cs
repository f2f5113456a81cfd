using Microsoft.EntityFrameworkCore;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

public sealed class VerbCommandTimeoutTests
{
    private static readonly DatabaseOptions Options = new() { CommandTimeoutSeconds = 5, VerbCommandTimeoutSeconds = 600 };

    [Test]
    public void The_default_is_ten_minutes() => Assert.That(new DatabaseOptions().VerbCommandTimeoutSeconds, Is.EqualTo(600));

    [Test]
    public void Sqlite_commands_of_ef_core_and_of_the_bulk_writer_get_the_verb_timeout()
    {
        using var db = new SqliteOrchestratorDbContext(new DbContextOptionsBuilder<SqliteOrchestratorDbContext>()
            .UseSqlite("Data Source=:memory:", sql => sql.CommandTimeout(Options.CommandTimeoutSeconds)).Options);

        db.UseVerbCommandTimeout(Options);
        db.Database.OpenConnection();
        using var query = db.Jobs.Where(j => j.Id == 1).CreateDbCommand();
        using var prepared = db.Database.GetDbConnection().CreateCommand();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(db.Database.GetCommandTimeout(), Is.EqualTo(600));
            Assert.That(query.CommandTimeout, Is.EqualTo(600));
            Assert.That(prepared.CommandTimeout, Is.EqualTo(600), "the bulk writer's own commands");
        }
    }

    [Test]
    public void Sql_server_commands_get_the_verb_timeout()
    {
        using var db = new SqlServerOrchestratorDbContext(new DbContextOptionsBuilder<SqlServerOrchestratorDbContext>()
            .UseSqlServer("Server=localhost;Database=x;Integrated Security=true", sql => sql.CommandTimeout(Options.CommandTimeoutSeconds)).Options);

        db.UseVerbCommandTimeout(Options);
        using var query = db.Jobs.Where(j => j.Id == 1).CreateDbCommand();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(db.Database.GetCommandTimeout(), Is.EqualTo(600));
            Assert.That(query.CommandTimeout, Is.EqualTo(600));
        }
    }
}
