using System.Text;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Domain.Enums;
using Orchestrator.FunctionalTests.Common;
using Orchestrator.Infrastructure.Import;

namespace Orchestrator.FunctionalTests.Import;

public sealed class JobImporterTests
{
    private const string Owner = """
        { "id" : "751a8f7e-b53a-4ccd-9f4f-e93db6aa38ec",
            "login" : "brian", "email": "brian@example.com" }
        """;

    private const string Options = """{"concurrency" : null, "noop":false, "task": "package::status", "scope": { "nodes": ["a.example.com"] }}""";

    private const string ValidFile = $$"""
        {
          "jobs": [
            {
              "job": {
                "id": "https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234",
                "name": "1234",
                "type": "task",
                "state": "finished",
                "command": "task",
                "description": "check packages",
                "environment": { "name": "production" },
                "owner": {{Owner}},
                "options": {{Options}},
                "userdata": { "ticket": "CHG-1" },
                "node_count": 99,
                "timestamp": "2016-05-20T16:45:31Z",
                "status": [
                  { "state": "new", "enter_time": "2016-05-20T16:44:00Z", "exit_time": "2016-05-20T16:44:01Z" },
                  { "state": "ready", "enter_time": "2016-05-20T16:44:01Z", "exit_time": "2016-05-20T16:44:02.5Z" },
                  { "state": "running", "enter_time": "2016-05-20T16:44:02.5Z", "exit_time": "2016-05-20T18:45:30+02:00" },
                  { "state": "finished", "enter_time": "2016-05-20T18:45:30+02:00", "exit_time": null }
                ]
              },
              "nodes": [
                {
                  "name": "a.example.com", "state": "finished", "transport": "pcp", "duration": 12.5,
                  "latest-event-id": "7",
                  "timestamp": "2016-05-20T16:45:30Z", "start_timestamp": "2016-05-20T16:44:03.123Z",
                  "finish_timestamp": "2016-05-20T16:45:30Z", "transaction_uuid": "u-1",
                  "details": { "message" : "Finished" },
                  "result": { "output": "test\n" }
                },
                { "name": "b.example.com", "state": "skipped", "result": null }
              ],
              "events": [
                { "id": "5", "type": "node_running", "timestamp": "2016-05-20T16:44:03Z",
                  "details": { "node": "a.example.com", "detail": { "noop": false } }, "message": "Started" },
                { "id": 6, "type": "node_skipped", "timestamp": "2016-05-20T16:44:04Z",
                  "details": { "node": "b.example.com" } },
                { "id": "7", "type": "job_finished", "timestamp": "2016-05-20T16:45:31Z" }
              ]
            },
            {
              "job": {
                "id": "https://orchestrator.example.com:8143/orchestrator/v1/jobs/77/",
                "state": "running",
                "command": "deploy",
                "environment": "staging",
                "owner": { "id": 5, "login": "ann" },
                "status": [
                  { "state": "new", "enter_time": "2016-05-21T10:00:00Z", "exit_time": "2016-05-21T10:00:01Z" },
                  { "state": "running", "enter_time": "2016-05-21T10:00:01Z", "exit_time": null }
                ]
              }
            }
          ]
        }
        """;

    private TestDatabase _database = null!;

    [SetUp]
    public async Task SetUp() => _database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    [Test]
    public async Task Valid_file_is_stored_with_documents_kept_exactly()
    {
        var result = await ImportAsync(ValidFile);

        Assert.That(result.Problems, Is.Empty);
        Assert.That((result.Jobs, result.Nodes, result.Events), Is.EqualTo((2, 2, 3)));

        await using var db = _database.CreateContext();
        var job = await db.Jobs.AsNoTracking().Include(j => j.Statuses).SingleAsync(j => j.Id == 1234);
        Assert.Multiple(() =>
        {
            Assert.That(job.Type, Is.EqualTo(JobType.Task));
            Assert.That(job.State, Is.EqualTo(JobState.Finished));
            Assert.That(job.Command, Is.EqualTo("task"));
            Assert.That(job.Description, Is.EqualTo("check packages"));
            Assert.That(job.EnvironmentName, Is.EqualTo("production"));
            Assert.That(job.OwnerJson, Is.EqualTo(Owner));
            Assert.That(job.OwnerLogin, Is.EqualTo("brian"));
            Assert.That(job.OwnerId, Is.EqualTo("751a8f7e-b53a-4ccd-9f4f-e93db6aa38ec"));
            Assert.That(job.OptionsJson, Is.EqualTo(Options));
            Assert.That(job.UserdataJson, Is.EqualTo("""{ "ticket": "CHG-1" }"""));
            Assert.That(job.TaskName, Is.EqualTo("package::status"));
            Assert.That(job.Timestamp, Is.EqualTo(Utc(2016, 5, 20, 16, 45, 31)));
            Assert.That(job.Timestamp.Kind, Is.EqualTo(DateTimeKind.Utc));
            // The finished status entered at 18:45:30+02:00.
            Assert.That(job.FinishedAt, Is.EqualTo(Utc(2016, 5, 20, 16, 45, 30)));
            Assert.That(job.FinishedAt!.Value.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(job.Statuses.OrderBy(s => s.EnterTime).Select(s => s.State),
                Is.EqualTo(new[] { JobState.New, JobState.Ready, JobState.Running, JobState.Finished }));
            Assert.That(job.Statuses.Single(s => s.State == JobState.Ready).ExitTime,
                Is.EqualTo(Utc(2016, 5, 20, 16, 44, 2).AddMilliseconds(500)));
            Assert.That(job.Statuses.Single(s => s.State == JobState.Finished).ExitTime, Is.Null);
        });

        var nodes = await db.JobNodes.AsNoTracking().Where(n => n.JobId == 1234).OrderBy(n => n.Name).ToListAsync();
        Assert.That(nodes, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(nodes[0].State, Is.EqualTo(NodeState.Finished));
            Assert.That(nodes[0].Transport, Is.EqualTo("pcp"));
            Assert.That(nodes[0].TransactionUuid, Is.EqualTo("u-1"));
            Assert.That(nodes[0].StartTimestamp, Is.EqualTo(Utc(2016, 5, 20, 16, 44, 3).AddMilliseconds(123)));
            Assert.That(nodes[0].StartTimestamp!.Value.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(nodes[0].DetailsJson, Is.EqualTo("""{ "message" : "Finished" }"""));
            Assert.That(nodes[0].ResultJson, Is.EqualTo("""{ "output": "test\n" }"""));
            Assert.That(nodes[1].State, Is.EqualTo(NodeState.Skipped));
            Assert.That(nodes[1].StartTimestamp, Is.Null);
            Assert.That(nodes[1].DetailsJson, Is.Null);
            Assert.That(nodes[1].ResultJson, Is.Null);
        });

        var events = await db.NodeEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Id), Is.EqualTo(new long[] { 5, 6, 7 }));
            Assert.That(events.Select(e => e.JobId), Is.All.EqualTo(1234));
            Assert.That(events[0].NodeId, Is.EqualTo(nodes[0].Id));
            Assert.That(events[1].NodeId, Is.EqualTo(nodes[1].Id));
            Assert.That(events[2].NodeId, Is.Null);
            Assert.That(events[0].Type, Is.EqualTo(EventType.NodeRunning));
            Assert.That(events[0].Message, Is.EqualTo("Started"));
            Assert.That(events[0].DetailsJson, Is.EqualTo("""{ "node": "a.example.com", "detail": { "noop": false } }"""));
            Assert.That(events[2].DetailsJson, Is.EqualTo("{}"));
            Assert.That(events[2].Timestamp.Kind, Is.EqualTo(DateTimeKind.Utc));
        });

        var second = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == 77);
        Assert.Multiple(() =>
        {
            Assert.That(second.Type, Is.EqualTo(JobType.Deploy), "derived from the command");
            Assert.That(second.EnvironmentName, Is.EqualTo("staging"));
            Assert.That(second.OwnerLogin, Is.EqualTo("ann"));
            Assert.That(second.OwnerId, Is.Null, "a non-string owner id is no column value");
            Assert.That(second.OptionsJson, Is.EqualTo("{}"));
            Assert.That(second.UserdataJson, Is.Null);
            Assert.That(second.TaskName, Is.Null);
            Assert.That(second.Timestamp, Is.EqualTo(Utc(2016, 5, 21, 10, 0, 1)), "from the last status entry");
            Assert.That(second.FinishedAt, Is.Null);
        });
    }

    [TestCase("""{ "name": "production" }""", "production")]
    [TestCase("\"development\"", "development")]
    [TestCase("null", null)]
    [TestCase("""{ "name": null }""", null)]
    public async Task Environment_may_be_an_object_a_string_or_null(string environment, string? expected)
    {
        var result = await ImportAsync(OneJob(job: $$"""{ "name": "1", "state": "new", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z", "environment": {{environment}} }"""));

        Assert.That(result.Problems, Is.Empty);
        await using var db = _database.CreateContext();
        Assert.That((await db.Jobs.SingleAsync()).EnvironmentName, Is.EqualTo(expected));
    }

    [Test]
    public async Task Missing_environment_is_null()
    {
        var result = await ImportAsync(OneJob(job: """{ "name": "1", "state": "new", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }"""));

        Assert.That(result.Problems, Is.Empty);
        await using var db = _database.CreateContext();
        Assert.That((await db.Jobs.SingleAsync()).EnvironmentName, Is.Null);
    }

    [Test]
    public async Task Job_id_comes_from_the_id_url_when_name_is_missing()
    {
        var result = await ImportAsync(OneJob(job: """{ "id": "https://o.example.com:8143/orchestrator/v1/jobs/4321", "state": "new", "command": "plan_task", "timestamp": "2020-01-01T00:00:00Z" }"""));

        Assert.That(result.Problems, Is.Empty);
        await using var db = _database.CreateContext();
        var job = await db.Jobs.SingleAsync();
        Assert.That((job.Id, job.Type), Is.EqualTo((4321L, JobType.PlanTask)));
    }

    [Test]
    public async Task Reimporting_replaces_the_jobs_it_names()
    {
        var first = await ImportAsync(ValidFile);
        var afterFirst = await _database.DumpAsync();
        var second = await ImportAsync(ValidFile);

        Assert.That(second.Problems, Is.Empty);
        Assert.That((second.Jobs, second.Nodes, second.Events), Is.EqualTo((first.Jobs, first.Nodes, first.Events)));
        Assert.That(WithoutGeneratedIds(await _database.DumpAsync()), Is.EqualTo(WithoutGeneratedIds(afterFirst)));

        var changed = ValidFile
            .Replace("\"check packages\"", "\"check packages again\"", StringComparison.Ordinal)
            .Replace("{ \"name\": \"b.example.com\", \"state\": \"skipped\", \"result\": null }",
                "{ \"name\": \"c.example.com\", \"state\": \"skipped\" }", StringComparison.Ordinal)
            .Replace("\"node\": \"b.example.com\"", "\"node\": \"c.example.com\"", StringComparison.Ordinal);
        var third = await ImportAsync(changed);

        Assert.That(third.Problems, Is.Empty);
        await using var db = _database.CreateContext();
        Assert.Multiple(async () =>
        {
            Assert.That(await db.Jobs.CountAsync(), Is.EqualTo(2));
            Assert.That(await db.JobStatuses.CountAsync(), Is.EqualTo(6));
            Assert.That(await db.NodeEvents.CountAsync(), Is.EqualTo(3));
            Assert.That((await db.Jobs.SingleAsync(j => j.Id == 1234)).Description, Is.EqualTo("check packages again"));
            Assert.That(await db.JobNodes.OrderBy(n => n.Name).Select(n => n.Name).ToListAsync(),
                Is.EqualTo(new[] { "a.example.com", "c.example.com" }));
            var skipped = await db.NodeEvents.SingleAsync(e => e.Id == 6);
            Assert.That(skipped.NodeId, Is.EqualTo((await db.JobNodes.SingleAsync(n => n.Name == "c.example.com")).Id));
        });
    }

    [Test]
    public async Task Importing_a_job_without_nodes_or_events_is_allowed()
    {
        var result = await ImportAsync(OneJob(job: """{ "name": "9", "state": "failed", "command": "task", "timestamp": "2020-01-01T00:00:00+01:00" }"""));

        Assert.That(result.Problems, Is.Empty);
        await using var db = _database.CreateContext();
        var job = await db.Jobs.SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(job.Timestamp, Is.EqualTo(Utc(2019, 12, 31, 23, 0, 0)));
            Assert.That(job.FinishedAt, Is.EqualTo(job.Timestamp), "no status entry for the state: the job timestamp");
            Assert.That(job.OwnerJson, Is.EqualTo("null"));
        });
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        const string job = """{ "name": "1", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }""";
        const string nodes = """[ { "name": "n1", "state": "finished" } ]""";

        yield return Case("bad timestamp",
            OneJob(job, """[ { "name": "n1", "state": "finished", "start_timestamp": "yesterday" } ]"""),
            "$.jobs[0].nodes[0].start_timestamp: not a timestamp: \"yesterday\"");
        yield return Case("unknown job state",
            OneJob(job.Replace("\"finished\"", "\"done\"", StringComparison.Ordinal)),
            "$.jobs[0].job.state: not a job state: \"done\" (expected one of new, ready, running, stopping, stopped, finished, failed)");
        yield return Case("unknown node state",
            OneJob(job, """[ { "name": "n1", "state": "Finished" } ]"""),
            "$.jobs[0].nodes[0].state: not a node state: \"Finished\" (expected one of new, ready, running, stopping, stopped, finished, failed, errored, skipped)");
        yield return Case("unknown event type",
            OneJob(job, events: """[ { "id": "1", "type": "node_exploded", "timestamp": "2020-01-01T00:00:00Z" } ]"""),
            "$.jobs[0].events[0].type: not an event type: \"node_exploded\" (expected one of node_errored, node_failed, node_finished, node_running, node_skipped, job_aborted, job_stopping, job_finished)");
        yield return Case("missing name and id",
            OneJob("""{ "state": "new", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }"""),
            "$.jobs[0].job.name: required (or an id URL ending in the job id)");
        yield return Case("name not digits",
            OneJob(job.Replace("\"1\"", "\"one\"", StringComparison.Ordinal)),
            "$.jobs[0].job.name: not a job id: \"one\"");
        yield return Case("id url without a job id",
            OneJob("""{ "id": "https://o/jobs/x", "state": "new", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }"""),
            "$.jobs[0].job.id: does not end in a job id: \"https://o/jobs/x\"");
        yield return Case("duplicate job id",
            $$"""{ "jobs": [ { "job": {{job}} }, { "job": {{job}} } ] }""",
            "$.jobs[1].job.name: duplicate job id 1 (also at $.jobs[0].job.name)");
        yield return Case("duplicate node name",
            OneJob(job, """[ { "name": "n1", "state": "finished" }, { "name": "n1", "state": "failed" } ]"""),
            "$.jobs[0].nodes[1].name: duplicate node name \"n1\" (also at $.jobs[0].nodes[0].name)");
        yield return Case("node names that differ only in trailing spaces",
            OneJob(job, """[ { "name": "n1", "state": "finished" }, { "name": "n1  ", "state": "failed" } ]"""),
            "$.jobs[0].nodes[1].name: duplicate node name \"n1  \" (\"n1\" at $.jobs[0].nodes[0].name; trailing spaces do not make a name distinct)");
        yield return Case("missing node name",
            OneJob(job, """[ { "state": "finished" } ]"""),
            "$.jobs[0].nodes[0].name: required");
        yield return Case("event naming an unknown node",
            OneJob(job, nodes, """[ { "id": "3", "type": "node_running", "timestamp": "2020-01-01T00:00:00Z", "details": { "node": "n2" } } ]"""),
            "$.jobs[0].events[0].details.node: no node named \"n2\" in this job");
        yield return Case("duplicate event id",
            OneJob(job, events: """[ { "id": "3", "type": "job_finished", "timestamp": "2020-01-01T00:00:00Z" }, { "id": 3, "type": "job_finished", "timestamp": "2020-01-01T00:00:00Z" } ]"""),
            "$.jobs[0].events[1].id: duplicate event id 3 (also at $.jobs[0].events[0].id)");
        yield return Case("event id not positive",
            OneJob(job, events: """[ { "id": 0, "type": "job_finished", "timestamp": "2020-01-01T00:00:00Z" } ]"""),
            "$.jobs[0].events[0].id: not an event id: 0");
        yield return Case("wrong JSON type",
            OneJob(job.Replace("\"state\": \"finished\"", "\"state\": 5", StringComparison.Ordinal)),
            "$.jobs[0].job.state: expected a string");
        yield return Case("wrong JSON type for nodes",
            OneJob(job, "{}"),
            "$.jobs[0].nodes: expected an array");
        yield return Case("missing command",
            OneJob("""{ "name": "1", "state": "new", "timestamp": "2020-01-01T00:00:00Z" }"""),
            "$.jobs[0].job.command: required");
        yield return Case("command that is no type, without type",
            OneJob("""{ "name": "1", "state": "new", "command": "run", "timestamp": "2020-01-01T00:00:00Z" }"""),
            "$.jobs[0].job.type: required, since the command \"run\" is not a job type");
        yield return Case("no timestamp and no status",
            OneJob("""{ "name": "1", "state": "new", "command": "deploy" }"""),
            "$.jobs[0].job.timestamp: required when there is no status history");
        yield return Case("environment of a wrong type",
            OneJob("""{ "name": "1", "state": "new", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z", "environment": 3 }"""),
            "$.jobs[0].job.environment: expected an object, a string or null");
        yield return Case("missing job object",
            """{ "jobs": [ { "nodes": [] } ] }""",
            "$.jobs[0].job: required");
        yield return Case("not an object", "[1, 2]", "$: expected an object");
        yield return Case("no jobs array", """{ "items": [] }""", "$.jobs: required");
        yield return Case("jobs not an array", """{ "jobs": {} }""", "$.jobs: expected an array");

        static TestCaseData Case(string name, string file, string problem) =>
            new TestCaseData(file, problem).SetName($"Malformed file is refused: {name}");
    }

    [TestCaseSource(nameof(Malformed))]
    public async Task Malformed_file_reports_the_problem_and_changes_nothing(string file, string expectedProblem)
    {
        await ImportAsync(ValidFile);
        var before = await _database.DumpAsync();

        var result = await ImportAsync(file);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Problems, Does.Contain(expectedProblem));
        Assert.That(await _database.DumpAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Invalid_json_is_reported()
    {
        var result = await ImportAsync("{ \"jobs\": [ ");

        Assert.That(result.Problems, Has.Count.EqualTo(1));
        Assert.That(result.Problems[0], Does.Contain("not valid JSON"));
    }

    [Test]
    public async Task Every_problem_is_reported_not_only_the_first()
    {
        var file = """
            { "jobs": [
              { "job": { "name": "1", "state": "nope", "command": "deploy", "timestamp": "soon" },
                "nodes": [ { "name": "a", "state": "finished", "finish_timestamp": "2020-13-01T00:00:00Z" } ] },
              { "job": { "name": "2", "state": "new", "command": 7, "timestamp": "2020-01-01T00:00:00Z" } }
            ] }
            """;

        var result = await ImportAsync(file);

        Assert.That(result.Problems, Is.EquivalentTo(new[]
        {
            "$.jobs[0].job.state: not a job state: \"nope\" (expected one of new, ready, running, stopping, stopped, finished, failed)",
            "$.jobs[0].job.timestamp: not a timestamp: \"soon\"",
            "$.jobs[0].nodes[0].finish_timestamp: not a timestamp: \"2020-13-01T00:00:00Z\"",
            "$.jobs[1].job.command: expected a string",
        }));
    }

    [Test]
    public async Task Event_id_of_another_job_in_the_database_is_a_problem_and_nothing_is_written()
    {
        await ImportAsync(ValidFile);
        var before = await _database.DumpAsync();
        var file = OneJob(
            """{ "name": "500", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }""",
            events: """[ { "id": "8", "type": "job_stopping", "timestamp": "2020-01-01T00:00:00Z" }, { "id": "7", "type": "job_finished", "timestamp": "2020-01-01T00:00:00Z" } ]""");

        var result = await ImportAsync(file);

        Assert.That(result.Problems, Is.EqualTo(new[] { "$.jobs[0].events[1].id: event id 7 already belongs to job 1234" }));
        Assert.That(await _database.DumpAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Event_id_may_move_between_jobs_the_file_replaces()
    {
        await ImportAsync(OneJob(
            """{ "name": "1", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }""",
            events: """[ { "id": "1", "type": "job_finished", "timestamp": "2020-01-01T00:00:00Z" } ]"""));

        var result = await ImportAsync("""
            { "jobs": [
              { "job": { "name": "1", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" } },
              { "job": { "name": "2", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" },
                "events": [ { "id": "1", "type": "job_finished", "timestamp": "2020-01-01T00:00:00Z" } ] }
            ] }
            """);

        Assert.That(result.Problems, Is.Empty);
        await using var db = _database.CreateContext();
        Assert.That((await db.NodeEvents.SingleAsync()).JobId, Is.EqualTo(2));
    }

    [Test]
    public async Task A_text_value_over_the_field_limit_is_refused_and_changes_nothing()
    {
        await ImportAsync(ValidFile);
        var before = await _database.DumpAsync();
        var file = OneJob(
            $$"""{ "name": "500", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z", "description": "{{new string('d', 1100)}}" }""",
            nodes: $$"""[ { "name": "a", "state": "finished", "result": { "output": { "lines": ["ok", "{{new string('o', 1100)}}"] } } } ]""");

        var result = await ImportAsync(file, new ImportLimits { MaxFieldKb = 1 });

        Assert.That(result.Problems, Is.EqualTo(new[]
        {
            "$.jobs[0].job.description: text longer than 1 KiB (Import:MaxFieldKb)",
            "$.jobs[0].nodes[0].result.output.lines[1]: text longer than 1 KiB (Import:MaxFieldKb)",
        }));
        Assert.That(await _database.DumpAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_text_value_of_64_MiB_is_refused_whatever_the_settings_allow()
    {
        await ImportAsync(ValidFile);
        var before = await _database.DumpAsync();
        var file = OneJob(
            $$"""{ "name": "500", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z", "description": "{{new string('d', 64 * 1024 * 1024)}}" }""");

        var result = await ImportAsync(file, new ImportLimits { MaxFieldKb = int.MaxValue, MaxJobMb = 1024, MaxFileMb = 1024 });

        Assert.That(result.Problems, Is.EqualTo(new[] { "$.jobs[0].job.description: text of 64 MiB or more is never imported" }));
        Assert.That(await _database.DumpAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_job_over_the_job_limit_is_refused_and_changes_nothing()
    {
        await ImportAsync(ValidFile);
        var before = await _database.DumpAsync();
        var nodes = string.Join(",", Enumerable.Range(0, 2000).Select(i => $$"""{ "name": "node-{{i}}", "state": "finished", "result": "{{new string('r', 600)}}" }"""));
        var file = $$"""
            { "jobs": [
              { "job": { "name": "500", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" } },
              { "job": { "name": "501", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }, "nodes": [ {{nodes}} ] }
            ] }
            """;

        var result = await ImportAsync(file, new ImportLimits { MaxJobMb = 1 });

        Assert.That(result.Problems, Is.EqualTo(new[] { "$.jobs[1]: larger than 1 MiB (Import:MaxJobMb)" }));
        Assert.That(await _database.DumpAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_file_over_the_file_limit_is_refused_and_changes_nothing()
    {
        await ImportAsync(ValidFile);
        var before = await _database.DumpAsync();
        var jobs = string.Join(",", Enumerable.Range(1, 3000).Select(i =>
            $$"""{ "job": { "name": "{{i + 1000}}", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z", "description": "{{new string('x', 400)}}" } }"""));

        var result = await ImportAsync($$"""{ "jobs": [ {{jobs}} ] }""", new ImportLimits { MaxFileMb = 1 });

        Assert.That(result.Problems, Is.EqualTo(new[] { "$: the file is larger than 1 MiB (Import:MaxFileMb)" }));
        Assert.That(await _database.DumpAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Json_nested_deeper_than_the_limit_is_refused()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var file = OneJob($$"""{ "name": "500", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z", "options": {{nested}} }""");

        var result = await ImportAsync(file);

        Assert.That(result.Problems, Has.Count.EqualTo(1));
        Assert.That(result.Problems[0], Does.Contain("not valid JSON").And.Contain("depth of 64"));
        await using var db = _database.CreateContext();
        Assert.That(await db.Jobs.CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Only_the_first_problems_are_listed_and_all_are_counted()
    {
        var nodes = string.Join(",", Enumerable.Range(0, 12).Select(i => $$"""{ "name": "n{{i}}", "state": "lost" }"""));
        var file = OneJob("""{ "name": "500", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }""", nodes: $"[ {nodes} ]");

        var result = await ImportAsync(file, new ImportLimits { MaxProblems = 5 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Problems, Has.Count.EqualTo(5));
            Assert.That(result.Problems[4], Does.StartWith("$.jobs[0].nodes[4].state: not a node state: \"lost\""));
            Assert.That(result.ProblemCount, Is.EqualTo(12));
        }
    }

    [Test]
    public async Task Problem_lines_escape_control_characters()
    {
        var file = OneJob(
            """{ "name": "500", "state": "finished", "command": "deploy", "timestamp": "2020-01-01T00:00:00Z" }""",
            nodes: """[ { "name": "a\u001b[2J\u202Eb", "state": "finished" }, { "name": "a\u001b[2J\u202Eb", "state": "finished" } ]""");

        var result = await ImportAsync(file);

        Assert.That(result.Problems, Is.EqualTo(new[]
        {
            "$.jobs[0].nodes[1].name: duplicate node name \"a\\u001b[2J\\u202eb\" (also at $.jobs[0].nodes[0].name)",
        }));
    }

    private async Task<ImportResult> ImportAsync(string json, ImportLimits? limits = null)
    {
        await using var db = _database.CreateContext();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return await new JobImporter(db, limits).ImportAsync(stream, CancellationToken.None);
    }

    private static string OneJob(string job, string nodes = "[]", string events = "[]") =>
        $$"""{ "jobs": [ { "job": {{job}}, "nodes": {{nodes}}, "events": {{events}} } ] }""";

    private static DateTime Utc(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    // Node ids are generated by the database, so a re-import legitimately renumbers them.
    private static string WithoutGeneratedIds(string dump) =>
        string.Join('\n', dump.Split('\n').Select(line =>
        {
            var fields = line.Split('|');
            if (fields[0] is "node" or "status")
                fields[1] = "#";
            if (fields[0] == "event")
                fields[3] = fields[3].Length > 0 ? "#" : "";
            return string.Join('|', fields);
        }));
}
