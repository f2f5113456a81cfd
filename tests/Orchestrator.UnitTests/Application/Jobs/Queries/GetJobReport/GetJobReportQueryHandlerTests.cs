using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Jobs.Queries.GetJobReport;
using Orchestrator.Domain.Enums;
using Orchestrator.UnitTests.TestSupport;
using static Orchestrator.UnitTests.TestSupport.SqliteTestDatabase;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.GetJobReport;

public sealed class GetJobReportQueryHandlerTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase() => _database = new SqliteTestDatabase();

    [TearDown]
    public void DisposeDatabase() => _database.Dispose();

    /// <summary>The report with its streamed items read, as the JSON writer reads them, before the context goes.</summary>
    private sealed record ReportRead(List<JobReportItemDto> Items);

    private async Task<ReportRead> Report(long jobId)
    {
        await using var context = _database.NewContext();
        var report = await new GetJobReportQueryHandler(context, Mapper()).Handle(new GetJobReportQuery(jobId), CancellationToken.None);
        return new ReportRead(await report.Items.ToListAsync());
    }

    [Test]
    public async Task Groups_each_nodes_events_oldest_first_with_nodes_by_name()
    {
        _database.Add(
            Job(1),
            Node(1, 1, "web2", n => { n.State = NodeState.Failed; n.Timestamp = Utc(20, 16, 5); }),
            Node(2, 1, "web1", n => { n.State = NodeState.Finished; n.Timestamp = Utc(20, 16, 3); }),
            Node(3, 1, "db1", n => { n.State = NodeState.Skipped; n.Timestamp = null; }),
            Job(2), Node(4, 2, "web1"),
            Event(13, 1, 1, e => e.Type = EventType.NodeFailed),
            Event(11, 1, 2),
            Event(10, 1, 1),
            Event(12, 1, 2, e => e.Type = EventType.NodeFinished),
            Event(14, 1, null, e => e.Type = EventType.JobFinished),
            Event(15, 2, 4));

        var report = await Report(1);

        Assert.That(report.Items.Select(i => (i.Node, i.State, i.Timestamp, Events: string.Join(",", i.Events.Select(e => $"{e.Id}:{e.Type}")))),
            Is.EqualTo(new[]
            {
                ("db1", NodeState.Skipped, (DateTime?)null, ""),
                ("web1", NodeState.Finished, (DateTime?)Utc(20, 16, 3), "11:NodeRunning,12:NodeFinished"),
                ("web2", NodeState.Failed, (DateTime?)Utc(20, 16, 5), "10:NodeRunning,13:NodeFailed"),
            }));
    }

    [Test]
    public async Task Report_events_keep_their_details_exactly()
    {
        _database.Add(Job(1), Node(1, 1, "web1"), Event(10, 1, 1, e => e.DetailsJson = """{ "node" : "web1" }"""));

        var report = await Report(1);

        Assert.That(report.Items[0].Events[0].Details.Text, Is.EqualTo("""{ "node" : "web1" }"""));
    }

    [Test]
    public async Task A_job_without_nodes_has_an_empty_report()
    {
        _database.Add(Job(1), Event(10, 1, null, e => e.Type = EventType.JobFinished));

        var report = await Report(1);

        Assert.That(report.Items, Is.Empty);
    }

    [Test]
    public void A_missing_job_is_an_unknown_job()
    {
        var exception = Assert.ThrowsAsync<UnknownJobException>(async () => await Report(7));

        Assert.That(exception.JobId, Is.EqualTo(7));
    }
}
