using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Application.Jobs.Queries.GetJob;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.UnitTests.TestSupport;
using static Orchestrator.UnitTests.TestSupport.SqliteTestDatabase;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.GetJob;

public sealed class GetJobQueryHandlerTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new SqliteTestDatabase();

    [TearDown]
    public void DisposeDatabase() => _database.Dispose();

    private async Task<JobDto> Get(long jobId)
    {
        await using var context = _database.NewContext();
        return await new GetJobQueryHandler(context, Mapper()).Handle(new GetJobQuery(jobId), CancellationToken.None);
    }

    [Test]
    public async Task Reads_the_whole_document()
    {
        _database.Add(Job(1234, j =>
        {
            j.Type = JobType.Task;
            j.State = JobState.Finished;
            j.Command = "task";
            j.Description = "deploy the web app";
            j.EnvironmentName = "production";
            j.OwnerJson = """{"id":"751a8f7e","login":"brian"}""";
            j.OptionsJson = """{ "noop" : false, "scope" : { } }""";
            j.UserdataJson = """{"ticket":"OPS-1"}""";
            j.Timestamp = Utc(20, 16, 45, 31);
        }));

        var job = await Get(1234);

        Assert.That(job, Is.EqualTo(new JobDto
        {
            Id = BaseUrl + "1234",
            Name = "1234",
            Type = JobType.Task,
            State = JobState.Finished,
            Command = "task",
            Options = new RawJson("""{ "noop" : false, "scope" : { } }"""),
            Owner = new RawJson("""{"id":"751a8f7e","login":"brian"}"""),
            Description = "deploy the web app",
            Timestamp = Utc(20, 16, 45, 31),
            Environment = new EnvironmentDto("production"),
            NodeCount = 0,
            NodeStates = null,
            Userdata = new RawJson("""{"ticket":"OPS-1"}"""),
            Status = job.Status, // asserted below; lists compare by reference in records
            Nodes = new LinkDto(BaseUrl + "1234/nodes"),
            Report = new LinkDto(BaseUrl + "1234/report"),
            Events = new LinkDto(BaseUrl + "1234/events"),
        }));
        Assert.That(job.Status, Is.Empty);
        Assert.That(job.Timestamp.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public async Task Counts_nodes_by_state_leaving_out_states_without_nodes()
    {
        _database.Add(
            Job(1),
            Node(1, 1, "a", n => n.State = NodeState.Finished),
            Node(2, 1, "b", n => n.State = NodeState.Failed),
            Node(3, 1, "c", n => n.State = NodeState.Finished),
            Node(4, 1, "d", n => n.State = NodeState.Running),
            Node(5, 1, "e", n => n.State = NodeState.Errored),
            Job(2),
            Node(6, 2, "a", n => n.State = NodeState.Skipped));

        var job = await Get(1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(job.NodeCount, Is.EqualTo(5));
            Assert.That(job.NodeStates, Is.EqualTo(new Dictionary<string, int> { ["running"] = 1, ["finished"] = 2, ["failed"] = 1, ["errored"] = 1 }));
            Assert.That(job.NodeStates!.Keys, Is.EqualTo(new[] { "running", "finished", "failed", "errored" }), "in the order of the node states");
        }
    }

    [Test]
    public async Task A_job_without_nodes_has_null_node_states_and_zero_node_count()
    {
        _database.Add(Job(1), Job(2), Node(1, 2, "other-job-node"));

        var job = await Get(1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(job.NodeCount, Is.Zero);
            Assert.That(job.NodeStates, Is.Null);
        }
    }

    [Test]
    public async Task Status_history_is_chronological_with_ties_broken_by_id()
    {
        _database.Add(
            Job(1),
            new JobStatus { Id = 4, JobId = 1, State = JobState.Finished, EnterTime = Utc(11, 18, 45, 31), ExitTime = null },
            new JobStatus { Id = 3, JobId = 1, State = JobState.Running, EnterTime = Utc(11, 18, 44, 31), ExitTime = Utc(11, 18, 45, 31) },
            new JobStatus { Id = 2, JobId = 1, State = JobState.Ready, EnterTime = Utc(11, 18, 44, 31), ExitTime = Utc(11, 18, 44, 31) },
            new JobStatus { Id = 1, JobId = 1, State = JobState.New, EnterTime = Utc(11, 18, 44, 31), ExitTime = Utc(11, 18, 44, 31) },
            Job(2),
            new JobStatus { Id = 5, JobId = 2, State = JobState.New, EnterTime = Utc(1), ExitTime = null });

        var job = await Get(1);

        Assert.That(job.Status, Is.EqualTo(new[]
        {
            new JobStatusDto { State = JobState.New, EnterTime = Utc(11, 18, 44, 31), ExitTime = Utc(11, 18, 44, 31) },
            new JobStatusDto { State = JobState.Ready, EnterTime = Utc(11, 18, 44, 31), ExitTime = Utc(11, 18, 44, 31) },
            new JobStatusDto { State = JobState.Running, EnterTime = Utc(11, 18, 44, 31), ExitTime = Utc(11, 18, 45, 31) },
            new JobStatusDto { State = JobState.Finished, EnterTime = Utc(11, 18, 45, 31), ExitTime = null },
        }));
    }

    [Test]
    public async Task A_job_without_environment_or_userdata_has_nulls()
    {
        _database.Add(Job(1, j => { j.EnvironmentName = null; j.UserdataJson = null; }));

        var job = await Get(1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(job.Environment, Is.Null);
            Assert.That(job.Userdata, Is.Null);
        }
    }

    [Test]
    public async Task Contexts_with_different_models_each_read_the_job()
    {
        // The handler's compiled queries run on whichever model the context has: here the test database's and
        // the one a context with its own internal services builds for itself (EF Core refuses to mix them in one compiled query).
        _database.Add(Job(1));
        await using var other = _database.NewContext(options => options.EnableServiceProviderCaching(false));

        var first = await Get(1);
        var second = await new GetJobQueryHandler(other, Mapper()).Handle(new GetJobQuery(1), CancellationToken.None);

        Assert.That(other.Model, Is.Not.SameAs(_database.Context.Model));
        Assert.That(second, Is.EqualTo(first).Using<JobDto>((a, b) => System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b)));
    }

    [Test]
    public void A_missing_job_is_an_unknown_job()
    {
        _database.Add(Job(1));

        var exception = Assert.ThrowsAsync<UnknownJobException>(async () => await Get(2));

        Assert.That(exception.JobId, Is.EqualTo(2));
    }
}
