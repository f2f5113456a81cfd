using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Verbs;

/// <summary>
/// The verbs as a user runs them: the built API binary in its own process, against a SQLite file, or against a
/// fresh SQL Server database when <c>ORCHESTRATOR_TEST_SQLSERVER</c> is set.
/// </summary>
[TestFixture]
public sealed class VerbProcessTests
{
    private string _directory = null!;
    private string? _sqlServer;

    private string DatabasePath => Path.Combine(_directory, "verbs.db");

    [SetUp]
    public void CreateDatabase()
    {
        _directory = Path.Combine(Path.GetTempPath(), "orchestrator-verbs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _sqlServer = SqlServerTestServer.NewDatabaseConnectionString();
        if (_sqlServer is not null)
            SqlServerTestServer.CreateDatabase(_sqlServer);
    }

    [TearDown]
    public void DeleteDatabase()
    {
        if (_sqlServer is not null)
            SqlServerTestServer.DropDatabase(_sqlServer);
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Import_loads_a_capture_and_says_how_much()
    {
        var (exit, output, error) = await RunAsync("import", TestData.PathOf(TestData.Jobs));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output.Trim(), Is.EqualTo("Imported 6 jobs, 12 nodes and 22 events."));
            Assert.That(Count("Jobs"), Is.EqualTo(6));
        }
    }

    [Test]
    public async Task A_malformed_import_exits_2_names_each_problem_and_changes_nothing()
    {
        Assert.That((await RunAsync("import", TestData.PathOf(TestData.Jobs))).Exit, Is.Zero);
        var broken = Path.Combine(_directory, "broken.json");
        await File.WriteAllTextAsync(broken, """
            {"jobs": [{"job": {"name": "1234", "type": "deploy", "state": "finished", "command": "deploy",
              "owner": {"id": "x", "login": "brian"}, "timestamp": "2016-05-20T16:45:31Z"},
              "nodes": [{"name": "web-01.example.com", "state": "finished", "start_timestamp": "yesterday"}]}]}
            """);

        var (exit, output, error) = await RunAsync("import", broken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("$.jobs[0].nodes[0].start_timestamp: not a timestamp: \"yesterday\""));
            Assert.That(Count("JobNodes"), Is.EqualTo(12), "the earlier import is untouched");
        }
    }

    [Test]
    public async Task Seed_writes_demo_data_once_and_replaces_only_when_asked()
    {
        var first = await RunAsync("seed", "--jobs", "60");
        var again = await RunAsync("seed", "--jobs", "60");
        var replaced = await RunAsync("seed", "--jobs", "50", "--replace");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Exit, Is.Zero, first.Error);
            Assert.That(first.Output, Does.StartWith("Seeded 60 jobs, "));
            Assert.That(again.Exit, Is.EqualTo(2));
            Assert.That(again.Error, Does.Contain("--replace"));
            Assert.That(replaced.Exit, Is.Zero, replaced.Error);
            Assert.That(Count("Jobs"), Is.EqualTo(50));
        }
    }

    [Test]
    public async Task Hash_token_prints_the_sha256_to_configure()
    {
        var (exit, output, error) = await RunAsync("hash-token", "s3cret-token");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("s3cret-token"u8));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output.Trim(), Is.EqualTo(expected));
        }
    }

    [TestCase("hash-token")]
    [TestCase("seed", "--jobs", "zero")]
    [TestCase("seed", "--bogus")]
    [TestCase("import")]
    public async Task Bad_arguments_exit_2_with_usage(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.Contain("Usage:"));
        }
    }

    [Test]
    public async Task Migrate_brings_an_empty_database_up_to_date()
    {
        var (exit, output, error) = await RunAsync("migrate");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output.Trim(), Is.EqualTo("The database is up to date."));
            Assert.That(Count("Jobs"), Is.Zero);
        }
    }

    private long Count(string table)
    {
        using DbConnection connection = _sqlServer is not null
            ? new SqlConnection(_sqlServer)
            : new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "Orchestrator.Api.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        if (_sqlServer is not null)
        {
            start.Environment["ConnectionStrings__Orchestrator"] = _sqlServer;
            start.Environment["Database__Provider"] = "SqlServer";
            // import and seed migrate SQL Server only when allowed; migrate always does.
            start.Environment["Database__MigrateOnStartup"] = "true";
        }
        else
        {
            start.Environment["ConnectionStrings__Orchestrator"] = $"Data Source={DatabasePath}";
            start.Environment["Database__Provider"] = "Sqlite";
        }
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
