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
    public void Event_maps_its_id_to_invariant_digits_and_keeps_details_byte_for_byte()
    {
        const string details = "{ \"node\" : \"web1\",\n  \"detail\" : { \"noop\" : false, \"n\" : 1.50, \"s\" : \"\\u00e9\" } }";
        var nodeEvent = new NodeEvent
        {
            Id = 1234567890123, JobId = 1, NodeId = 2, Type = EventType.NodeFinished,
            Timestamp = Utc(5, 19, 50, 8), Message = "Finished", DetailsJson = details,
        };

        Assert.That(EventMapper.ToDto(nodeEvent), Is.EqualTo(new EventDto
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
        Assert.That(EventMapper.ToDto(new NodeEvent { Id = 1, DetailsJson = "{}" }).Message, Is.Null);

    [Test]
    public async Task Job_document_maps_the_stored_columns_as_stored_with_links_counts_and_history()
    {
        using var database = new SqliteTestDatabase();
        database.Add(Job(1, j => { j.EnvironmentName = "production"; j.UserdataJson = """{ "ticket" : "OPS-1" }"""; j.Type = JobType.PlanTask; j.Description = "d"; }));
        await using var context = database.NewContext();
        var job = await context.Jobs.SingleAsync();
        var status = new JobStatus { JobId = 1, State = JobState.Finished, EnterTime = Utc(20), ExitTime = null };

        var document = Mapper().ToDto(job, [new NodeStateCount(1, NodeState.Failed, 1), new NodeStateCount(1, NodeState.Finished, 2)], [status]);

        Assert.That(document, Is.EqualTo(new JobDto
        {
            Id = $"{BaseUrl}1", Name = "1", Type = JobType.PlanTask, State = JobState.Finished, Command = "deploy",
            Options = new RawJson("""{"noop":false}"""), Owner = new RawJson("""{"id":"owner-1","login":"user1"}"""),
            Description = "d", Timestamp = Utc(20, 16, 45, 31), Environment = new EnvironmentDto("production"),
            NodeCount = 3, NodeStates = document.NodeStates, Userdata = new RawJson("""{ "ticket" : "OPS-1" }"""),
            Status = document.Status, Nodes = new LinkDto($"{BaseUrl}1/nodes"), Report = new LinkDto($"{BaseUrl}1/report"),
            Events = new LinkDto($"{BaseUrl}1/events"),
        }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(document.NodeStates, Is.EqualTo(new Dictionary<string, int> { ["finished"] = 2, ["failed"] = 1 }));
            Assert.That(document.Status, Is.EqualTo(new[] { new JobStatusDto { State = JobState.Finished, EnterTime = Utc(20), ExitTime = null } }));
            Assert.That(Mapper().ToDto(job, [], []).NodeStates, Is.Null);
        }
    }

    [Test]
    public async Task Events_read_from_sqlite_map_to_documents()
    {
        using var database = new SqliteTestDatabase();
        database.Add(Job(1), Event(42, 1, null, e => e.DetailsJson = """{ "x" : [1, 2] }"""));
        await using var context = database.NewContext();

        var events = (await context.NodeEvents.ToListAsync()).ConvertAll(EventMapper.ToDto);

        Assert.That(events.Select(e => (e.Id, e.Details.Text)), Is.EqualTo(new[] { ("42", """{ "x" : [1, 2] }""") }));
    }
}
