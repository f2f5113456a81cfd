using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;
using Orchestrator.UnitTests.TestSupport;
using static Orchestrator.UnitTests.TestSupport.SqliteTestDatabase;

namespace Orchestrator.UnitTests.Application.Jobs.Common;

public sealed class JobMapperTests
{
    [Test]
    public void Status_maps_state_and_times()
    {
        var status = new JobStatus { Id = 9, JobId = 1, State = JobState.Running, EnterTime = Utc(11, 18), ExitTime = Utc(11, 19) };

        Assert.That(JobMapper.ToDto(status), Is.EqualTo(new JobStatusDto { State = JobState.Running, EnterTime = Utc(11, 18), ExitTime = Utc(11, 19) }));
    }

    [Test]
    public void Current_status_keeps_a_null_exit_time() =>
        Assert.That(JobMapper.ToDto(new JobStatus { State = JobState.Finished, EnterTime = Utc(11) }).ExitTime, Is.Null);

    [Test]
    public void Event_maps_its_id_to_invariant_digits_and_keeps_details_byte_for_byte()
    {
        const string details = "{ \"node\" : \"web1\",\n  \"detail\" : { \"noop\" : false, \"n\" : 1.50, \"s\" : \"\\u00e9\" } }";
        var nodeEvent = new NodeEvent
        {
            Id = 1234567890123, JobId = 1, NodeId = 2, Type = EventType.NodeFinished,
            Timestamp = Utc(5, 19, 50, 8), Message = "Finished", DetailsJson = details,
        };

        Assert.That(JobMapper.ToDto(nodeEvent), Is.EqualTo(new EventDto
        {
            Id = "1234567890123",
            Type = EventType.NodeFinished,
            Timestamp = Utc(5, 19, 50, 8),
            Details = new RawJson(details),
            Message = "Finished",
        }));
    }

    [Test]
    public void Event_without_message_maps_null() =>
        Assert.That(JobMapper.ToDto(new NodeEvent { Id = 1, DetailsJson = "{}" }).Message, Is.Null);

    [Test]
    public void Row_maps_documents_and_optional_environment_and_userdata()
    {
        var withBoth = Job(1, j => { j.EnvironmentName = "production"; j.UserdataJson = """{"a":1}"""; j.Description = "d"; });
        var withNeither = Job(2, j => { j.EnvironmentName = null; j.UserdataJson = null; });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JobMapper.ToRow(withBoth), Is.EqualTo(new JobRow
            {
                Id = 1, Type = JobType.Deploy, State = JobState.Finished, Command = "deploy",
                Options = new RawJson("""{"noop":false}"""), Owner = new RawJson("""{"id":"owner-1","login":"user1"}"""),
                Description = "d", Timestamp = Utc(20, 16, 45, 31),
                Environment = new EnvironmentDto("production"), Userdata = new RawJson("""{"a":1}"""),
            }));
            Assert.That(JobMapper.ToRow(withNeither).Environment, Is.Null);
            Assert.That(JobMapper.ToRow(withNeither).Userdata, Is.Null);
        }
    }

    [Test]
    public async Task Row_projection_runs_in_sqlite_with_nulls_and_names()
    {
        using var database = new SqliteTestDatabase();
        database.Add(
            Job(1, j => { j.EnvironmentName = "production"; j.UserdataJson = """{ "ticket" : "OPS-1" }"""; j.Type = JobType.PlanTask; }),
            Job(2, j => { j.EnvironmentName = null; j.UserdataJson = null; }));
        await using var context = database.NewContext();

        var rows = await context.Jobs.OrderBy(j => j.Id).ProjectToRow().ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.Environment), Is.EqualTo(new[] { new EnvironmentDto("production"), null }));
            Assert.That(rows.Select(r => r.Userdata), Is.EqualTo(new[] { new RawJson("""{ "ticket" : "OPS-1" }"""), null }));
            Assert.That(rows.Select(r => r.Type), Is.EqualTo(new[] { JobType.PlanTask, JobType.Deploy }));
            Assert.That(rows.Select(r => r.Timestamp.Kind), Is.All.EqualTo(DateTimeKind.Utc));
            Assert.That(rows[0], Is.EqualTo(JobMapper.ToRow(Job(1, j => { j.EnvironmentName = "production"; j.UserdataJson = """{ "ticket" : "OPS-1" }"""; j.Type = JobType.PlanTask; }))));
        }
    }

    [Test]
    public async Task Events_read_from_sqlite_map_to_documents()
    {
        using var database = new SqliteTestDatabase();
        database.Add(Job(1), Event(42, 1, null, e => e.DetailsJson = """{ "x" : [1, 2] }"""));
        await using var context = database.NewContext();

        var events = (await context.NodeEvents.ToListAsync()).ConvertAll(JobMapper.ToDto);

        Assert.That(events.Select(e => (e.Id, e.Details.Text)), Is.EqualTo(new[] { ("42", """{ "x" : [1, 2] }""") }));
    }
}
