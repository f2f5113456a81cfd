using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Application.Jobs.Queries.GetJobEvents;
using Orchestrator.Domain.Enums;
using Orchestrator.UnitTests.TestSupport;
using static Orchestrator.UnitTests.TestSupport.SqliteTestDatabase;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.GetJobEvents;

public sealed class GetJobEventsQueryHandlerTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase()
    {
        _database = new SqliteTestDatabase();
        // Event ids are unique across jobs, so job 1's ids have gaps where job 2's events are.
        _database.Add(
            Job(1), Node(1, 1, "a"),
            Job(2), Node(2, 2, "a"),
            Job(3),
            Event(9, 1, null, e => e.Type = EventType.JobFinished),
            Event(5, 1, 1),
            Event(6, 2, 2),
            Event(7, 1, 1, e => e.Type = EventType.NodeFinished),
            Event(8, 2, 2));
    }

    [TearDown]
    public void DisposeDatabase() => _database.Dispose();

    private async Task<JobEventsDto> Events(GetJobEventsQuery query, PagingOptions? paging = null)
    {
        await using var context = _database.NewContext();
        var handler = new GetJobEventsQueryHandler(context, Mapper(), Options.Create(paging ?? new PagingOptions()));
        return await handler.Handle(query, CancellationToken.None);
    }

    private static IEnumerable<string> Ids(JobEventsDto events) => events.Items.Select(e => e.Id);

    private static NextEventsDto Next(long jobId, long start) => new($"{BaseUrl}{jobId}/events?start={start}", $"{start}");

    [Test]
    public async Task Without_start_returns_every_event_of_the_job_oldest_first_and_next_is_one_past_the_last()
    {
        var events = await Events(new GetJobEventsQuery(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(events), Is.EqualTo(new[] { "5", "7", "9" }));
            Assert.That(events.NextEvents, Is.EqualTo(Next(1, 10)));
        }
    }

    [TestCase(7L, new[] { "7", "9" })]
    [TestCase(6L, new[] { "7", "9" })]
    [TestCase(0L, new[] { "5", "7", "9" })]
    public async Task Start_returns_the_events_from_that_id_on(long start, string[] expected)
    {
        var events = await Events(new GetJobEventsQuery(1) { Start = start });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(events), Is.EqualTo(expected));
            Assert.That(events.NextEvents, Is.EqualTo(Next(1, 10)));
        }
    }

    [TestCase(10L)]
    [TestCase(500L)]
    public async Task With_nothing_new_next_is_the_start_asked_for(long start)
    {
        var events = await Events(new GetJobEventsQuery(1) { Start = start });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Items, Is.Empty);
            Assert.That(events.NextEvents, Is.EqualTo(Next(1, start)));
        }
    }

    [Test]
    public async Task A_job_without_events_and_without_start_points_at_one()
    {
        var events = await Events(new GetJobEventsQuery(3));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Items, Is.Empty);
            Assert.That(events.NextEvents, Is.EqualTo(Next(3, 1)));
        }
    }

    [Test]
    public async Task Limit_caps_the_page_and_next_points_just_past_it()
    {
        var events = await Events(new GetJobEventsQuery(1) { Limit = 2 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(events), Is.EqualTo(new[] { "5", "7" }));
            Assert.That(events.NextEvents, Is.EqualTo(Next(1, 8)));
        }
    }

    [Test]
    public async Task Polling_from_next_pages_through_the_history()
    {
        var first = await Events(new GetJobEventsQuery(1) { Limit = 2 });
        var second = await Events(new GetJobEventsQuery(1) { Limit = 2, Start = long.Parse(first.NextEvents.Event, System.Globalization.CultureInfo.InvariantCulture) });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(second), Is.EqualTo(new[] { "9" }));
            Assert.That(second.NextEvents, Is.EqualTo(Next(1, 10)));
        }
    }

    [Test]
    public async Task Limit_zero_returns_nothing_and_next_stays_at_start()
    {
        var events = await Events(new GetJobEventsQuery(1) { Limit = 0, Start = 7 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Items, Is.Empty);
            Assert.That(events.NextEvents, Is.EqualTo(Next(1, 7)));
        }
    }

    [Test]
    public async Task Default_and_maximum_page_sizes_apply()
    {
        var paging = new PagingOptions { DefaultPageSize = 1, MaxPageSize = 2 };

        var byDefault = await Events(new GetJobEventsQuery(1), paging);
        var clamped = await Events(new GetJobEventsQuery(1) { Limit = 50 }, paging);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(byDefault), Is.EqualTo(new[] { "5" }));
            Assert.That(Ids(clamped), Is.EqualTo(new[] { "5", "7" }));
        }
    }

    [Test]
    public async Task Event_items_carry_the_stored_fields()
    {
        _database.Add(Event(1272, 3, null, e =>
        {
            e.Type = EventType.NodeRunning;
            e.Timestamp = new DateTime(2016, 5, 5, 19, 50, 8, DateTimeKind.Utc);
            e.DetailsJson = """{"node": "puppet-agent.example.com", "detail": {"noop": false}}""";
            e.Message = "Started puppet run on puppet-agent.example.com ...";
        }));

        var events = await Events(new GetJobEventsQuery(3));

        Assert.That(events.Items, Is.EqualTo(new[]
        {
            new EventDto
            {
                Id = "1272",
                Type = EventType.NodeRunning,
                Timestamp = new DateTime(2016, 5, 5, 19, 50, 8, DateTimeKind.Utc),
                Details = new RawJson("""{"node": "puppet-agent.example.com", "detail": {"noop": false}}"""),
                Message = "Started puppet run on puppet-agent.example.com ...",
            },
        }));
        Assert.That(events.Items[0].Timestamp.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void A_missing_job_is_an_unknown_job()
    {
        var exception = Assert.ThrowsAsync<UnknownJobException>(async () => await Events(new GetJobEventsQuery(42)));

        Assert.That(exception.JobId, Is.EqualTo(42));
    }
}
