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
    public async Task Import_lists_the_first_100_problems_escaped_then_counts_the_rest_and_changes_nothing()
    {
        Assert.That((await RunAsync("import", TestData.PathOf(TestData.Jobs))).Exit, Is.Zero);
        var nodes = string.Join(",", Enumerable.Range(0, 150).Select(i => $$"""{ "name": "n{{i}}\u001b[31m", "state": "lost" }"""));
        var broken = Path.Combine(_directory, "broken.json");
        await File.WriteAllTextAsync(broken, $$"""
            {"jobs": [{"job": {"name": "1234", "type": "deploy", "state": "finished", "command": "deploy",
              "owner": {"id": "x", "login": "brian"}, "timestamp": "2016-05-20T16:45:31Z", "description": "{{new string('d', 1024 * 1024 + 1)}}"},
              "nodes": [{"name": "n0\u001b[31m", "state": "finished"}, {{nodes}}]}]}
            """);
        var (_, _, tooLong) = await RunAsync("import", broken);
        await File.WriteAllTextAsync(broken, $$"""
            {"jobs": [{"job": {"name": "1234", "type": "deploy", "state": "finished", "command": "deploy",
              "owner": {"id": "x", "login": "brian"}, "timestamp": "2016-05-20T16:45:31Z"},
              "nodes": [{"name": "n0\u001b[31m", "state": "finished"}, {{nodes}}]}]}
            """);

        var (exit, output, error) = await RunAsync("import", broken);
        var lines = error.TrimEnd().Split('\n');

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tooLong.Trim(), Is.EqualTo(
                "$.jobs[0].job.description: text longer than 1024 KiB (Import:MaxFieldKb)\nNothing was imported: 1 problem(s)."), "the default field limit");
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(lines, Has.Length.EqualTo(102));
            Assert.That(lines[0], Does.StartWith("$.jobs[0].nodes[1].state: not a node state: \"lost\""));
            Assert.That(lines[1], Is.EqualTo("$.jobs[0].nodes[1].name: duplicate node name \"n0\\u001b[31m\" (also at $.jobs[0].nodes[0].name)"));
            Assert.That(lines[99], Does.StartWith("$.jobs[0].nodes[99].state: not a node state: \"lost\""));
            Assert.That(lines[100], Is.EqualTo("… and 51 more problem(s) (Import:MaxProblems lists 100)."));
            Assert.That(lines[101], Is.EqualTo("Nothing was imported: 151 problem(s)."));
            // Ordinal: under ICU a culture-aware search finds an ignorable control character in any text.
            Assert.That(error.Contains('\u001b', StringComparison.Ordinal), Is.False, "no raw escape character reaches the terminal");
            Assert.That(Count("JobNodes"), Is.EqualTo(12), "the earlier import is untouched");
        }
    }

    [Test]
    public async Task Seed_writes_demo_data_once_and_replaces_only_when_asked()
    {
        var first = await RunAsync("seed", "--jobs", "60");
        var again = await RunAsync("seed", "--jobs", "60");
        var replaced = await RunAsync("seed", "--jobs", "50", "--replace", "--force");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Exit, Is.Zero, first.Error);
            Assert.That(first.Output, Does.StartWith("Seeded 60 jobs, "));
            Assert.That(again.Exit, Is.EqualTo(2));
            Assert.That(again.Error, Does.Contain("--replace"));
            Assert.That(replaced.Exit, Is.Zero, replaced.Error);
            Assert.That(replaced.Output, Does.StartWith($"--replace deletes all 60 jobs of SQLite database '{DatabasePath}' (environment Testing)."));
            Assert.That(Count("Jobs"), Is.EqualTo(50));
        }
    }

    [Test]
    public async Task Seed_replace_outside_development_names_the_target_and_refuses_without_force()
    {
        Assert.That((await RunAsync("seed", "--jobs", "60")).Exit, Is.Zero);

        var (exit, output, error) = await RunAsync("seed", "--jobs", "50", "--replace");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output.Trim(), Is.EqualTo($"--replace deletes all 60 jobs of SQLite database '{DatabasePath}' (environment Testing)."));
            Assert.That(error.Trim(), Is.EqualTo("Refusing to delete 60 jobs outside Development: add --force to replace them. Nothing was changed."));
            Assert.That(Count("Jobs"), Is.EqualTo(60));
        }
    }

    [Test]
    public async Task Seed_replace_in_development_needs_no_force()
    {
        Assert.That((await RunAsync("seed", "--jobs", "60")).Exit, Is.Zero);

        var (exit, output, error) = await RunAsync(["seed", "--jobs", "50", "--replace"], environment: "Development");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output, Does.StartWith($"--replace deletes all 60 jobs of SQLite database '{DatabasePath}' (environment Development)."));
            Assert.That(Count("Jobs"), Is.EqualTo(50));
        }
    }

    [Test]
    public async Task Equal_option_values_are_separate_arguments()
    {
        var (exit, output, error) = await RunAsync("seed", "--jobs", "42", "--seed", "42");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output, Does.StartWith("Seeded 42 jobs, "));
            Assert.That(Count("Jobs"), Is.EqualTo(42));
        }
    }

    [TestCase("improt", "capture.json")]
    [TestCase("serve")]
    public async Task An_unknown_verb_prints_the_usage_and_exits_2_without_serving(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.StartWith($"Unknown verb '{args[0]}'."));
            Assert.That(error, Does.Contain("Usage: Orchestrator.Api [verb]"));
            Assert.That(error, Does.Contain("new-token"));
            Assert.That(output, Does.Not.Contain("Now listening"));
        }
    }

    [Test]
    public async Task New_token_prints_a_random_256_bit_token_and_its_sha256()
    {
        var first = await RunAsync("new-token");
        var second = await RunAsync("new-token");

        var lines = first.Output.Trim().Split('\n');
        var token = lines[0]["token: ".Length..];
        var hash = lines[1]["sha256: ".Length..];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Exit, Is.Zero, first.Error);
            Assert.That(lines, Has.Length.EqualTo(2));
            Assert.That(lines[0], Does.StartWith("token: "));
            Assert.That(lines[1], Does.StartWith("sha256: "));
            Assert.That(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(token), Has.Length.EqualTo(32));
            Assert.That(hash, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)))));
            Assert.That(second.Output, Does.Not.Contain(token));
        }
    }

    [Test]
    public async Task Hash_token_warns_about_a_short_token()
    {
        var (exit, output, error) = await RunAsync("hash-token", "short-token");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output.Trim(), Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("short-token"u8))));
            Assert.That(error.Trim(), Is.EqualTo(
                "Warning: the token is 11 characters long; use at least 32 random characters (the new-token verb makes one)."));
        }
    }

    [Test]
    public async Task Hash_token_prints_the_sha256_to_configure()
    {
        const string token = "s3cret-token-0123456789abcdef0123456789";
        var (exit, output, error) = await RunAsync("hash-token", token);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output.Trim(), Is.EqualTo(expected));
            Assert.That(error, Is.Empty);
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

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(args, "Testing");

    private Task<(int Exit, string Output, string Error)> RunAsync(string[] args, string environment)
    {
        var database = _sqlServer is not null ? ("SqlServer", _sqlServer) : ("Sqlite", $"Data Source={DatabasePath}");
        var start = ApiProcess.StartInfo(database, _directory, environment, args);
        // import and seed migrate SQL Server only when allowed; migrate always does.
        if (_sqlServer is not null)
            start.Environment["Database__MigrateOnStartup"] = "true";
        return ApiProcess.RunAsync(start);
    }
}
