using YamlDotNet.RepresentationModel;

namespace Orchestrator.UnitTests.Build;

/// <summary>
/// No SQL Server runs where these tests run, so the SQL Server job of <c>azure-pipelines.yml</c> is checked for
/// the structure that lets it pass: a SQL Server service container, a wait that runs a query (not just a port
/// check), snapshot isolation turned on, and the functional tests run with the connection string and without the
/// tests that need SQLite itself.
/// </summary>
public sealed class AzurePipelinesTests
{
    private const string SqliteOnly = "SqliteOnly";

    private static readonly Lazy<YamlMappingNode> Pipeline = new(() =>
    {
        using var reader = new StreamReader(PipelinePath());
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    });

    private static YamlMappingNode SqlServerJob => Jobs().Single(job => job.Children.ContainsKey("services"));

    [Test]
    public void The_sql_server_job_runs_beside_a_sql_server_container()
    {
        var services = (YamlMappingNode)SqlServerJob["services"];
        var resource = Text(services.Children.Values.Single());
        var container = Sequence(Mapping(Pipeline.Value["resources"])["containers"])
            .Cast<YamlMappingNode>()
            .Single(c => Text(c["container"]) == resource);
        var env = Mapping(container["env"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Text(container["image"]), Does.StartWith("mcr.microsoft.com/mssql/server:"));
            Assert.That(Sequence(container["ports"]).Select(Text), Does.Contain("1433:1433"));
            Assert.That(Text(env["ACCEPT_EULA"]), Is.EqualTo("Y"));
            Assert.That(Text(env["MSSQL_SA_PASSWORD"]), Is.EqualTo("$(MSSQL_SA_PASSWORD)"), "a secret variable, never a literal");
        }
    }

    [Test]
    public void It_waits_until_sql_server_answers_a_query_then_turns_snapshot_isolation_on_then_tests()
    {
        var scripts = Steps(SqlServerJob).Select(ScriptOf).ToList();
        var wait = scripts.FindIndex(s => s.Contains("sqlcmd", StringComparison.Ordinal) && s.Contains("SELECT 1", StringComparison.Ordinal));
        var snapshot = scripts.FindIndex(s =>
            s.Contains("ALLOW_SNAPSHOT_ISOLATION ON", StringComparison.Ordinal) && s.Contains("READ_COMMITTED_SNAPSHOT ON", StringComparison.Ordinal));
        var tests = scripts.FindIndex(s => s.Contains("dotnet test tests/Orchestrator.FunctionalTests", StringComparison.Ordinal));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(wait, Is.GreaterThanOrEqualTo(0), "a step that runs SELECT 1 through sqlcmd");
            Assert.That(scripts[Math.Max(wait, 0)], Does.Match(@"\b(for|until|while)\b"), "the query is retried until it answers");
            Assert.That(scripts[Math.Max(wait, 0)], Does.Contain("exit 1"), "and the job fails when it never does");
            Assert.That(scripts, Has.None.Contains("/dev/tcp"), "an open port is not a server that answers");
            Assert.That(snapshot, Is.GreaterThan(wait), "snapshot isolation, once the server answers");
            Assert.That(tests, Is.GreaterThan(snapshot), "the tests, once snapshot isolation is on");
        }
    }

    [Test]
    public void The_functional_tests_get_the_connection_string_and_leave_out_the_sqlite_only_ones()
    {
        var step = Steps(SqlServerJob).Single(s => ScriptOf(s).Contains("dotnet test tests/Orchestrator.FunctionalTests", StringComparison.Ordinal));
        var variables = Mapping(SqlServerJob["variables"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ScriptOf(step), Does.Contain($"--filter \"TestCategory!={SqliteOnly}\""));
            Assert.That(Text(Mapping(step["env"])["ORCHESTRATOR_TEST_SQLSERVER"]), Is.EqualTo("$(ORCHESTRATOR_TEST_SQLSERVER)"));
            Assert.That(Text(variables["ORCHESTRATOR_TEST_SQLSERVER"]), Does.StartWith("Server=localhost,1433;").And.Contain("Password=$(MSSQL_SA_PASSWORD)"));
        }
    }

    [Test]
    public void The_sqlite_job_runs_every_test()
    {
        var sqlite = Jobs().Single(job => !job.Children.ContainsKey("services"));
        var test = Steps(sqlite).Select(ScriptOf).Single(s => s.StartsWith("dotnet test", StringComparison.Ordinal));

        Assert.That(test, Does.Not.Contain("--filter"));
    }

    private static IEnumerable<YamlMappingNode> Jobs() => Sequence(Pipeline.Value["jobs"]).Cast<YamlMappingNode>();

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) => Sequence(job["steps"]).Cast<YamlMappingNode>();

    private static string ScriptOf(YamlMappingNode step) =>
        step.Children.TryGetValue(new YamlScalarNode("script"), out var script) ? Text(script) : "";

    private static YamlMappingNode Mapping(YamlNode node) => (YamlMappingNode)node;

    private static YamlSequenceNode Sequence(YamlNode node) => (YamlSequenceNode)node;

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static string PipelinePath()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "azure-pipelines.yml");
            if (File.Exists(path))
                return path;
        }

        throw new FileNotFoundException("azure-pipelines.yml was not found above the test directory");
    }
}
