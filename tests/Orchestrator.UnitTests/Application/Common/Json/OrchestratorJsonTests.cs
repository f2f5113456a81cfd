using System.Text.Json;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Application.Jobs.Queries.GetJobEvents;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;

namespace Orchestrator.UnitTests.Application.Common.Json;

public sealed class OrchestratorJsonTests
{
    private const string Url = "https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234";

    private static DateTime Utc(int hour, int minute, int second) => new(2016, 5, 20, hour, minute, second, DateTimeKind.Utc);

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, OrchestratorJson.Options);

    // Streamed items (IAsyncEnumerable) are written only by the asynchronous serializer, as MVC's formatter does.
    private static async Task<string> SerializeAsync<T>(T value)
    {
        using var stream = new MemoryStream();
        await JsonSerializer.SerializeAsync(stream, value, OrchestratorJson.Options);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    // The API host configures MVC's options with OrchestratorJson.Configure; the shared instance must agree.
    [Test]
    public void Shared_options_write_what_the_host_writes()
    {
        var host = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        OrchestratorJson.Configure(host);
        var status = new JobStatusDto { State = JobState.Running, EnterTime = Utc(16, 44, 31), ExitTime = null };

        Assert.That(Serialize(status), Is.EqualTo(JsonSerializer.Serialize(status, host)));
    }

    [Test]
    public void Job_document_is_written_exactly()
    {
        var job = new JobDto
        {
            Id = Url,
            Name = "1234",
            Type = JobType.PlanTask,
            State = JobState.Finished,
            Command = "plan_task",
            Options = new RawJson("""{ "noop" : false, "n" : 1.50, "s" : "\u00e9" }"""),
            Owner = new RawJson("""{"id":"751a8f7e","login":"brian"}"""),
            Description = null,
            Timestamp = Utc(16, 45, 31).AddTicks(1234567),
            Environment = new EnvironmentDto("production"),
            NodeCount = 3,
            NodeStates = new Dictionary<string, int> { ["running"] = 1, ["finished"] = 2 },
            Userdata = null,
            Status =
            [
                new JobStatusDto { State = JobState.New, EnterTime = Utc(16, 44, 31), ExitTime = Utc(16, 44, 31) },
                new JobStatusDto { State = JobState.Finished, EnterTime = Utc(16, 45, 31), ExitTime = null },
            ],
            Nodes = new LinkDto(Url + "/nodes"),
            Report = new LinkDto(Url + "/report"),
            Events = new LinkDto(Url + "/events"),
        };

        Assert.That(Serialize(job), Is.EqualTo(
            "{\"id\":\"" + Url + "\",\"name\":\"1234\",\"type\":\"plan_task\",\"state\":\"finished\",\"command\":\"plan_task\"," +
            "\"options\":{ \"noop\" : false, \"n\" : 1.50, \"s\" : \"\\u00e9\" }," +
            "\"owner\":{\"id\":\"751a8f7e\",\"login\":\"brian\"}," +
            "\"description\":null,\"timestamp\":\"2016-05-20T16:45:31Z\",\"environment\":{\"name\":\"production\"}," +
            "\"node_count\":3,\"node_states\":{\"running\":1,\"finished\":2},\"userdata\":null," +
            "\"status\":[{\"state\":\"new\",\"enter_time\":\"2016-05-20T16:44:31Z\",\"exit_time\":\"2016-05-20T16:44:31Z\"}," +
            "{\"state\":\"finished\",\"enter_time\":\"2016-05-20T16:45:31Z\",\"exit_time\":null}]," +
            "\"nodes\":{\"id\":\"" + Url + "/nodes\"},\"report\":{\"id\":\"" + Url + "/report\"},\"events\":{\"id\":\"" + Url + "/events\"}}"));
    }

    [Test]
    public async Task Nodes_document_uses_hyphenated_keys_and_keeps_documents_raw()
    {
        NodeDto[] items =
        [
            new NodeDto
            {
                Timestamp = Utc(20, 37, 1),
                StartTimestamp = Utc(20, 36, 13),
                FinishTimestamp = Utc(20, 37, 1),
                MeasuredAt = Utc(20, 40, 0),
                State = NodeState.Finished,
                TransactionUuid = null,
                Name = "wss6c3w9wngpycg.example.com",
                Details = new RawJson("""{"message":"Message of latest event"}"""),
                Result = new RawJson("{\n  \"output\" : \"test\\n\"\n}"),
                Transport = "pcp",
                LatestEventId = 9,
            },
            new NodeDto
            {
                Timestamp = null, StartTimestamp = null, FinishTimestamp = null, MeasuredAt = Utc(20, 40, 0), State = NodeState.Skipped,
                TransactionUuid = null, Name = "skipped.example.com", Details = null, Result = null, Transport = null, LatestEventId = null,
            },
        ];
        var nodes = new JobNodesDto(new NextEventsDto(Url + "/events?start=10", "10"), items.ToAsyncEnumerable());

        Assert.That(await SerializeAsync(nodes), Is.EqualTo(
            "{\"next-events\":{\"id\":\"" + Url + "/events?start=10\",\"event\":\"10\"},\"items\":[" +
            "{\"timestamp\":\"2016-05-20T20:37:01Z\",\"start_timestamp\":\"2016-05-20T20:36:13Z\",\"finish_timestamp\":\"2016-05-20T20:37:01Z\"," +
            "\"duration\":48,\"state\":\"finished\",\"transaction_uuid\":null,\"name\":\"wss6c3w9wngpycg.example.com\"," +
            "\"details\":{\"message\":\"Message of latest event\"},\"result\":{\n  \"output\" : \"test\\n\"\n}," +
            "\"transport\":\"pcp\",\"latest-event-id\":9}," +
            "{\"timestamp\":null,\"start_timestamp\":null,\"finish_timestamp\":null,\"duration\":null,\"state\":\"skipped\"," +
            "\"transaction_uuid\":null,\"name\":\"skipped.example.com\",\"details\":null,\"result\":null,\"transport\":null," +
            "\"latest-event-id\":null}]}"));
    }

    [Test]
    public void Events_document_writes_event_types_as_wire_names()
    {
        var events = new JobEventsDto(new NextEventsDto(Url + "/events?start=1273", "1273"),
        [
            new EventDto
            {
                Id = "1272", Type = EventType.NodeRunning, Timestamp = new DateTime(2016, 5, 5, 19, 50, 8, DateTimeKind.Utc),
                Details = new RawJson("""{"node":"puppet-agent.example.com","detail":{"noop":false}}"""), Message = "Started",
            },
        ]);

        Assert.That(Serialize(events), Is.EqualTo(
            "{\"next-events\":{\"id\":\"" + Url + "/events?start=1273\",\"event\":\"1273\"},\"items\":[" +
            "{\"id\":\"1272\",\"type\":\"node_running\",\"timestamp\":\"2016-05-05T19:50:08Z\"," +
            "\"details\":{\"node\":\"puppet-agent.example.com\",\"detail\":{\"noop\":false}},\"message\":\"Started\"}]}"));
    }

    [Test]
    public void Pagination_leaves_out_filters_that_were_not_given()
    {
        var pagination = new JobListPaginationDto { Limit = 20, Offset = 0, OrderBy = JobOrderBy.Timestamp, Order = SortOrder.Desc, Total = 42 };

        Assert.That(Serialize(pagination), Is.EqualTo(
            """{"limit":20,"offset":0,"order_by":"timestamp","order":"desc","total":42}"""));
    }

    [Test]
    public void Pagination_echoes_the_filters_given()
    {
        var pagination = new JobListPaginationDto
        {
            Limit = 20, Offset = 0, OrderBy = JobOrderBy.Owner, Order = SortOrder.Asc, Type = JobType.PlanTask, Task = "package",
            MinFinishTimestamp = Utc(1, 2, 3), MaxFinishTimestamp = Utc(4, 5, 6), Total = 0,
        };

        Assert.That(Serialize(pagination), Is.EqualTo(
            """{"limit":20,"offset":0,"order_by":"owner","order":"asc","type":"plan_task","task":"package",""" +
            "\"min_finish_timestamp\":\"2016-05-20T01:02:03Z\",\"max_finish_timestamp\":\"2016-05-20T04:05:06Z\",\"total\":0}"));
    }

    [Test]
    public void Unspecified_times_are_written_as_utc() =>
        Assert.That(UtcTimestampConverter.ToWire(new DateTime(2016, 5, 20, 16, 45, 31, DateTimeKind.Unspecified)), Is.EqualTo("2016-05-20T16:45:31Z"));

    [Test]
    public void Raw_json_reads_any_value_as_its_text()
    {
        var value = JsonSerializer.Deserialize<RawJson>("""{ "a" : [1, 2.50] }""", OrchestratorJson.Options);

        Assert.That(value, Is.EqualTo(new RawJson("""{ "a" : [1, 2.50] }""")));
    }

    [Test]
    public void Timestamps_read_with_offsets_become_utc()
    {
        var value = JsonSerializer.Deserialize<DateTime>("\"2016-05-20T16:45:31+02:00\"", OrchestratorJson.Options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(value, Is.EqualTo(Utc(14, 45, 31)));
            Assert.That(value.Kind, Is.EqualTo(DateTimeKind.Utc));
        }
    }

    [Test]
    public void Enums_are_not_read_from_numbers() =>
        Assert.That(() => JsonSerializer.Deserialize<JobState>("3", OrchestratorJson.Options), Throws.TypeOf<JsonException>());
}
