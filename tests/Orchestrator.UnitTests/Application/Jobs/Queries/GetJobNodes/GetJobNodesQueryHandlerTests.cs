using Microsoft.Extensions.Time.Testing;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Domain.Enums;
using Orchestrator.UnitTests.TestSupport;
using static Orchestrator.UnitTests.TestSupport.SqliteTestDatabase;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.GetJobNodes;

public sealed class GetJobNodesQueryHandlerTests
{
    // "Now" puts the running node's 30 seconds between the failed node's 10 and the finished nodes' 48,
    // so ordering by duration shows the database really measured up to this instant.
    private static readonly DateTime Now = Utc(20, 16, 59, 30);

    private FakeTimeProvider _clock = null!;
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(Now));
        _database = new SqliteTestDatabase();
        _database.Add(
            Job(1),
            Node(1, 1, "delta", n => { n.State = NodeState.Finished; n.StartTimestamp = Utc(20, 16); n.FinishTimestamp = Utc(20, 16, 0, 48); }),
            Node(2, 1, "alpha", n => { n.State = NodeState.Running; n.StartTimestamp = Utc(20, 16, 59); }),
            Node(3, 1, "echo", n => n.State = NodeState.New),
            Node(4, 1, "bravo", n => { n.State = NodeState.Skipped; n.StartTimestamp = Utc(20, 16); n.FinishTimestamp = Utc(20, 16, 0, 5); }),
            Node(5, 1, "golf", n => { n.State = NodeState.Failed; n.StartTimestamp = Utc(20, 16); n.FinishTimestamp = Utc(20, 16, 0, 10); }),
            Node(6, 1, "charlie", n => { n.State = NodeState.Errored; n.StartTimestamp = Utc(20, 16, 30); }),
            Node(7, 1, "foxtrot", n => { n.State = NodeState.Finished; n.StartTimestamp = Utc(20, 16); n.FinishTimestamp = Utc(20, 16, 0, 48); }),
            Job(2),
            Node(8, 2, "alpha"),
            Event(10, 1, 1),
            Event(11, 1, 2),
            Event(12, 1, 1),
            Event(13, 1, null, e => e.Type = EventType.JobFinished),
            Event(20, 2, 8));
    }

    [TearDown]
    public void DisposeDatabase() => _database.Dispose();

    /// <summary>The document with its streamed items read, as the JSON writer reads them, before the context goes.</summary>
    private sealed record NodesRead(NextEventsDto NextEvents, List<NodeDto> Items);

    private async Task<NodesRead> Nodes(GetJobNodesQuery query)
    {
        await using var context = _database.NewContext();
        var nodes = await new GetJobNodesQueryHandler(context, Mapper(_clock)).Handle(query, CancellationToken.None);
        return new NodesRead(nodes.NextEvents, await nodes.Items.ToListAsync());
    }

    private static IEnumerable<string> Names(NodesRead nodes) => nodes.Items.Select(n => n.Name);

    // Durations: golf 10, alpha 30 (running), delta and foxtrot 48; echo (new), bravo (skipped) and
    // charlie (errored, never finished) none, which sorts first ascending. State sorts on the wire name.
    [TestCase(NodeOrderBy.Name, SortOrder.Asc, new[] { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf" })]
    [TestCase(NodeOrderBy.Name, SortOrder.Desc, new[] { "golf", "foxtrot", "echo", "delta", "charlie", "bravo", "alpha" })]
    [TestCase(NodeOrderBy.Duration, SortOrder.Asc, new[] { "echo", "bravo", "charlie", "golf", "alpha", "delta", "foxtrot" })]
    [TestCase(NodeOrderBy.Duration, SortOrder.Desc, new[] { "foxtrot", "delta", "alpha", "golf", "charlie", "bravo", "echo" })]
    [TestCase(NodeOrderBy.State, SortOrder.Asc, new[] { "charlie", "golf", "delta", "foxtrot", "echo", "alpha", "bravo" })]
    [TestCase(NodeOrderBy.State, SortOrder.Desc, new[] { "bravo", "alpha", "echo", "foxtrot", "delta", "golf", "charlie" })]
    [TestCase(NodeOrderBy.StartTimestamp, SortOrder.Asc, new[] { "echo", "delta", "bravo", "golf", "foxtrot", "charlie", "alpha" })]
    [TestCase(NodeOrderBy.StartTimestamp, SortOrder.Desc, new[] { "alpha", "charlie", "foxtrot", "golf", "bravo", "delta", "echo" })]
    [TestCase(NodeOrderBy.FinishTimestamp, SortOrder.Asc, new[] { "alpha", "echo", "charlie", "bravo", "golf", "delta", "foxtrot" })]
    [TestCase(NodeOrderBy.FinishTimestamp, SortOrder.Desc, new[] { "foxtrot", "delta", "golf", "bravo", "charlie", "echo", "alpha" })]
    public async Task Orders_by_each_column_with_ties_broken_by_node_id(NodeOrderBy orderBy, SortOrder order, string[] expected)
    {
        var nodes = await Nodes(new GetJobNodesQuery(1) { OrderBy = orderBy, Order = order });

        Assert.That(Names(nodes), Is.EqualTo(expected));
    }

    [Test]
    public async Task Defaults_to_name_ascending_and_returns_every_node_of_the_job_only()
    {
        var nodes = await Nodes(new GetJobNodesQuery(1));

        Assert.That(Names(nodes), Is.EqualTo(new[] { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf" }));
    }

    [Test]
    public async Task Duration_is_finish_minus_start_or_now_minus_start_or_null()
    {
        var nodes = await Nodes(new GetJobNodesQuery(1));

        Assert.That(nodes.Items.ToDictionary(n => n.Name, n => n.Duration), Is.EqualTo(new Dictionary<string, double?>
        {
            ["alpha"] = 30.0,
            ["bravo"] = null,
            ["charlie"] = null,
            ["delta"] = 48.0,
            ["echo"] = null,
            ["foxtrot"] = 48.0,
            ["golf"] = 10.0,
        }));
    }

    [Test]
    public async Task A_running_node_keeps_counting_as_time_passes()
    {
        _clock.Advance(TimeSpan.FromSeconds(45));

        var nodes = await Nodes(new GetJobNodesQuery(1) { OrderBy = NodeOrderBy.Duration, Order = SortOrder.Desc, Limit = 1 });

        Assert.That(nodes.Items.Select(n => (n.Name, n.Duration)), Is.EqualTo(new[] { ("alpha", (double?)75.0) }));
    }

    [Test]
    public async Task A_page_of_the_same_shape_later_measures_to_its_own_now()
    {
        // The second request runs the statement compiled for the first; its ordering and durations use its own now.
        var query = new GetJobNodesQuery(1) { OrderBy = NodeOrderBy.Duration, Order = SortOrder.Desc, Limit = 2, Offset = 1 };
        var before = await Nodes(query);
        _clock.Advance(TimeSpan.FromSeconds(45));

        var after = await Nodes(query);

        Assert.That((before.Items.Select(n => (n.Name, n.Duration)), after.Items.Select(n => (n.Name, n.Duration))), Is.EqualTo((
            new[] { ("delta", (double?)48.0), ("alpha", (double?)30.0) },
            new[] { ("foxtrot", (double?)48.0), ("delta", (double?)48.0) })));
    }

    [Test]
    public async Task Pages_of_the_same_shape_read_their_own_job_state_offset_and_limit()
    {
        // One compiled statement serves both: every value is bound per request, none kept from the first.
        GetJobNodesQuery[] sameShape =
        [
            new(1) { State = NodeState.Finished, Limit = 1 },
            new(1) { State = NodeState.Finished, Limit = 2 },
            new(2) { State = NodeState.Finished, Limit = 5 },
            new(1) { State = NodeState.Running, Limit = 5 },
        ];
        GetJobNodesQuery[] withOffsets = [new(1) { State = NodeState.Finished, Offset = 1 }, new(1) { State = NodeState.Finished, Offset = 2 }];

        var names = new List<string[]>();
        foreach (var query in sameShape.Concat(withOffsets))
            names.Add([.. Names(await Nodes(query))]);

        Assert.That(names, Is.EqualTo(new[] { ["delta"], ["delta", "foxtrot"], ["alpha"], ["alpha"], ["foxtrot"], Array.Empty<string>() }));
    }

    [Test]
    public async Task A_node_item_carries_its_stored_documents_and_latest_event()
    {
        _database.Add(Node(9, 1, "hotel", n =>
        {
            n.State = NodeState.Finished;
            n.Timestamp = Utc(20, 16, 1);
            n.StartTimestamp = Utc(20, 16);
            n.FinishTimestamp = Utc(20, 16, 0, 48);
            n.TransactionUuid = "5e1b7a2c";
            n.Transport = "pcp";
            n.DetailsJson = """{"message":"Finished puppet run"}""";
            n.ResultJson = """{ "output" : "test\n" }""";
        }), Event(30, 1, 9), Event(31, 1, 9));

        var nodes = await Nodes(new GetJobNodesQuery(1) { Offset = 7 });

        Assert.That(nodes.Items, Is.EqualTo(new[]
        {
            new NodeDto
            {
                Timestamp = Utc(20, 16, 1),
                StartTimestamp = Utc(20, 16),
                FinishTimestamp = Utc(20, 16, 0, 48),
                MeasuredAt = Now,
                State = NodeState.Finished,
                TransactionUuid = "5e1b7a2c",
                Name = "hotel",
                Details = new RawJson("""{"message":"Finished puppet run"}"""),
                Result = new RawJson("""{ "output" : "test\n" }"""),
                Transport = "pcp",
                LatestEventId = 31,
            },
        }));
    }

    [Test]
    public async Task Latest_event_id_is_the_nodes_newest_event_or_null()
    {
        var nodes = await Nodes(new GetJobNodesQuery(1));

        Assert.That(nodes.Items.ToDictionary(n => n.Name, n => n.LatestEventId), Is.EqualTo(new Dictionary<string, long?>
        {
            ["alpha"] = 11, ["bravo"] = null, ["charlie"] = null, ["delta"] = 12, ["echo"] = null, ["foxtrot"] = null, ["golf"] = null,
        }));
    }

    [Test]
    public async Task Next_events_is_one_past_the_jobs_newest_event()
    {
        var nodes = await Nodes(new GetJobNodesQuery(1) { Limit = 0 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nodes.NextEvents, Is.EqualTo(new NextEventsDto(BaseUrl + "1/events?start=14", "14")));
            Assert.That(nodes.Items, Is.Empty);
        }
    }

    [Test]
    public async Task Next_events_of_a_job_without_events_is_one()
    {
        _database.Add(Job(3), Node(30, 3, "lonely"));

        var nodes = await Nodes(new GetJobNodesQuery(3));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nodes.NextEvents, Is.EqualTo(new NextEventsDto(BaseUrl + "3/events?start=1", "1")));
            Assert.That(Names(nodes), Is.EqualTo(new[] { "lonely" }));
        }
    }

    [Test]
    public async Task A_job_without_nodes_has_no_items()
    {
        _database.Add(Job(4));

        var nodes = await Nodes(new GetJobNodesQuery(4));

        Assert.That(nodes.Items, Is.Empty);
    }

    [TestCase(NodeState.Finished, new[] { "delta", "foxtrot" })]
    [TestCase(NodeState.Running, new[] { "alpha" })]
    [TestCase(NodeState.Stopped, new string[0])]
    public async Task Filters_by_state(NodeState state, string[] expected)
    {
        var nodes = await Nodes(new GetJobNodesQuery(1) { State = state });

        Assert.That(Names(nodes), Is.EqualTo(expected));
    }

    [Test]
    public async Task Pages_with_limit_and_offset()
    {
        var nodes = await Nodes(new GetJobNodesQuery(1) { Limit = 2, Offset = 1 });

        Assert.That(Names(nodes), Is.EqualTo(new[] { "bravo", "charlie" }));
    }

    [Test]
    public async Task Offset_past_the_end_has_no_items()
    {
        var nodes = await Nodes(new GetJobNodesQuery(1) { Offset = 7 });

        Assert.That(nodes.Items, Is.Empty);
    }

    [Test]
    public void A_missing_job_is_an_unknown_job()
    {
        var exception = Assert.ThrowsAsync<UnknownJobException>(async () => await Nodes(new GetJobNodesQuery(99)));

        Assert.That(exception.JobId, Is.EqualTo(99));
    }
}
