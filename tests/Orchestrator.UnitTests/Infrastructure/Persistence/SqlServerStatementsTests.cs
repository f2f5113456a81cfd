using IsolationLevel = System.Data.IsolationLevel;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.UnitTests.TestSupport;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>
/// What the request snapshot, the data version and the start-up check send to SQL Server, captured as EF Core
/// sends it (no server runs here) and parsed by SQL Server 2022's T-SQL parser.
/// </summary>
public sealed class SqlServerStatementsTests
{
    private static IList<ParseError> Parse(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors;
    }

    [Test]
    public async Task A_request_begins_a_snapshot_transaction_and_reads_the_version_first()
    {
        var server = new ServerlessSqlServer { Row = { ["Value"] = 42L } };
        await using var context = server.Context();
        await using var snapshot = new RequestSnapshot(new RequestDbContext(context), Options.Create(new DatabaseOptions { Provider = DatabaseProvider.SqlServer }));

        var version = await snapshot.VersionAsync(CancellationToken.None);
        await snapshot.VersionAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(version, Is.EqualTo(42));
            Assert.That(server.Transactions, Is.EqualTo(new[] { IsolationLevel.Snapshot }));
            Assert.That(server.Statements, Has.Count.EqualTo(1), "read once per request");
            Assert.That(server.Statements[0], Does.Contain("FROM [DataVersion]"));
            Assert.That(Parse(server.Statements[0]), Is.Empty, server.Statements[0]);
        }
    }

    [Test]
    public void The_latest_version_is_one_valid_t_sql_statement() =>
        Assert.That(Parse(LatestDataVersion.Query), Is.Empty);

    [Test]
    public async Task Read_committed_is_there_for_a_database_that_cannot_allow_snapshots()
    {
        var server = new ServerlessSqlServer();
        await using var context = server.Context();
        await using var snapshot = new RequestSnapshot(new RequestDbContext(context), Options.Create(new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer, RequestIsolation = RequestIsolation.ReadCommitted,
        }));

        await snapshot.BeginAsync(CancellationToken.None);

        Assert.That(server.Transactions, Is.EqualTo(new[] { IsolationLevel.ReadCommitted }));
    }

    [Test]
    public async Task A_writer_bumps_the_version_in_one_update()
    {
        var server = new ServerlessSqlServer();
        await using var context = server.Context();

        await DataVersion.BumpAsync(context, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Statements, Has.Count.EqualTo(1));
            Assert.That(server.Statements[0], Does.StartWith("UPDATE [d]").And.Contain("[Version] + CAST(1 AS bigint)"));
            Assert.That(Parse(server.Statements[0]), Is.Empty, server.Statements[0]);
        }
    }

    [Test]
    public async Task The_start_up_check_reads_the_database_settings_in_valid_t_sql()
    {
        var server = new ServerlessSqlServer();
        server.Row.Clear();
        server.Row["Name"] = "orchestrator";
        server.Row["CompatibilityLevel"] = 160;
        server.Row["SnapshotIsolationState"] = 1;
        server.Row["ReadCommittedSnapshot"] = true;
        await using var context = server.Context();
        var readiness = new SqlServerReadiness(context, Options.Create(new DatabaseOptions { Provider = DatabaseProvider.SqlServer }),
            NullLogger<SqlServerReadiness>.Instance);

        await readiness.EnsureReadyAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Statements.Select(s => s.Trim()), Is.EqualTo(new[] { SqlServerReadiness.SettingsQuery }));
            Assert.That(Parse(SqlServerReadiness.SettingsQuery), Is.Empty);
        }
    }

    [TestCase(120, 1, RequestIsolation.Snapshot, "ALTER DATABASE [orchestrator] SET COMPATIBILITY_LEVEL = 130;")]
    [TestCase(160, 0, RequestIsolation.Snapshot, "ALTER DATABASE [orchestrator] SET ALLOW_SNAPSHOT_ISOLATION ON;")]
    [TestCase(160, 3, RequestIsolation.Snapshot, "ALTER DATABASE [orchestrator] SET ALLOW_SNAPSHOT_ISOLATION ON;")]
    public async Task A_database_that_falls_short_stops_the_start_with_the_statement_to_run(
        int compatibilityLevel, int snapshotState, RequestIsolation isolation, string statement)
    {
        var server = new ServerlessSqlServer();
        server.Row.Clear();
        server.Row["Name"] = "orchestrator";
        server.Row["CompatibilityLevel"] = compatibilityLevel;
        server.Row["SnapshotIsolationState"] = snapshotState;
        server.Row["ReadCommittedSnapshot"] = false;
        await using var context = server.Context();
        var readiness = new SqlServerReadiness(context, Options.Create(new DatabaseOptions { Provider = DatabaseProvider.SqlServer, RequestIsolation = isolation }),
            NullLogger<SqlServerReadiness>.Instance);

        var failure = Assert.ThrowsAsync<InvalidOperationException>(() => readiness.EnsureReadyAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure!.Message, Does.Contain(statement));
            Assert.That(Parse(statement), Is.Empty);
        }
    }

    [Test]
    public void Read_committed_accepts_a_database_without_snapshot_isolation() =>
        Assert.That(SqlServerReadiness.Problems(
            new SqlServerReadiness.DatabaseSettings { Name = "o", CompatibilityLevel = 130, SnapshotIsolationState = 0 },
            RequestIsolation.ReadCommitted), Is.Empty);
}
