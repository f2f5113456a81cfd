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
    public async Task Row_projection_reads_the_stored_columns_as_stored()
    {
        using var database = new SqliteTestDatabase();
        database.Add(
            Job(1, j => { j.EnvironmentName = "production"; j.UserdataJson = """{ "ticket" : "OPS-1" }"""; j.Type = JobType.PlanTask; j.Description = "d"; }),
            Job(2, j => { j.EnvironmentName = null; j.UserdataJson = null; }));
        await using var context = database.NewContext();

        var rows = await context.Jobs.OrderBy(j => j.Id).ProjectToRow().ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows[0], Is.EqualTo(new JobRow
            {
                Id = 1, Type = JobType.PlanTask, State = JobState.Finished, Command = "deploy",
                OptionsJson = """{"noop":false}""", OwnerJson = """{"id":"owner-1","login":"user1"}""",
                Description = "d", Timestamp = Utc(20, 16, 45, 31),
                EnvironmentName = "production", UserdataJson = """{ "ticket" : "OPS-1" }""",
            }));
            Assert.That((rows[1].EnvironmentName, rows[1].UserdataJson), Is.EqualTo(((string?)null, (string?)null)));
            Assert.That(rows.Select(r => r.Timestamp.Kind), Is.All.EqualTo(DateTimeKind.Utc));
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
