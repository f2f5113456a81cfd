using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.UnitTests.TestSupport;
using static Orchestrator.UnitTests.TestSupport.SqliteTestDatabase;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.ListJobs;

public sealed class ListJobsQueryHandlerTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public void CreateDatabase()
    {
        _database = new SqliteTestDatabase();
        // Inserted out of id order so that no ordering can pass by accident of insertion order.
        _database.Add(
            Job(3, j => { j.OwnerLogin = "bob"; j.Timestamp = Utc(21); j.EnvironmentName = "dev"; j.State = JobState.Running; }),
            Job(1, j => { j.OwnerLogin = "bob"; j.Timestamp = Utc(21); j.EnvironmentName = "production"; j.State = JobState.Finished; }),
            Job(5, j => { j.OwnerLogin = "carol"; j.Timestamp = Utc(20); j.EnvironmentName = "dev"; j.State = JobState.New; }),
            Job(2, j => { j.OwnerLogin = "alice"; j.Timestamp = Utc(20); j.EnvironmentName = null; j.State = JobState.Failed; }),
            Job(4, j => { j.OwnerLogin = null; j.Timestamp = Utc(22); j.EnvironmentName = "production"; j.State = JobState.Finished; }));
    }

    [TearDown]
    public void DisposeDatabase() => _database.Dispose();

    private async Task<JobListDto> List(ListJobsQuery query, PagingOptions? paging = null)
    {
        await using var context = _database.NewContext();
        var handler = new ListJobsQueryHandler(context, new UncachedRowCounts(), Mapper(), Options.Create(paging ?? new PagingOptions()));
        return await handler.Handle(query, CancellationToken.None);
    }

    private static IEnumerable<string> Names(JobListDto list) => list.Items.Select(i => i.Name);

    // Ties (same owner, timestamp, environment or state) are broken by id in the same direction; nulls sort first
    // ascending. State sorts on the stored wire name, so alphabetically (failed, finished, new, running).
    [TestCase(JobOrderBy.Owner, SortOrder.Asc, new[] { "4", "2", "1", "3", "5" })]
    [TestCase(JobOrderBy.Owner, SortOrder.Desc, new[] { "5", "3", "1", "2", "4" })]
    [TestCase(JobOrderBy.Timestamp, SortOrder.Asc, new[] { "2", "5", "1", "3", "4" })]
    [TestCase(JobOrderBy.Timestamp, SortOrder.Desc, new[] { "4", "3", "1", "5", "2" })]
    [TestCase(JobOrderBy.Environment, SortOrder.Asc, new[] { "2", "3", "5", "1", "4" })]
    [TestCase(JobOrderBy.Environment, SortOrder.Desc, new[] { "4", "1", "5", "3", "2" })]
    [TestCase(JobOrderBy.Name, SortOrder.Asc, new[] { "1", "2", "3", "4", "5" })]
    [TestCase(JobOrderBy.Name, SortOrder.Desc, new[] { "5", "4", "3", "2", "1" })]
    [TestCase(JobOrderBy.State, SortOrder.Asc, new[] { "2", "1", "4", "5", "3" })]
    [TestCase(JobOrderBy.State, SortOrder.Desc, new[] { "3", "5", "4", "1", "2" })]
    public async Task Orders_by_each_column_with_ties_broken_by_id(JobOrderBy orderBy, SortOrder order, string[] expected)
    {
        var list = await List(new ListJobsQuery { OrderBy = orderBy, Order = order });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(expected));
            Assert.That(list.Pagination.OrderBy, Is.EqualTo(orderBy));
            Assert.That(list.Pagination.Order, Is.EqualTo(order));
        }
    }

    [Test]
    public async Task Defaults_to_timestamp_ascending()
    {
        var list = await List(new ListJobsQuery());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(new[] { "2", "5", "1", "3", "4" }));
            Assert.That(list.Pagination, Is.EqualTo(new JobListPaginationDto
            {
                Limit = 1000, Offset = 0, OrderBy = JobOrderBy.Timestamp, Order = SortOrder.Asc, Total = 5,
            }));
        }
    }

    [Test]
    public async Task Pages_with_limit_and_offset_and_reports_the_true_total()
    {
        var list = await List(new ListJobsQuery { OrderBy = JobOrderBy.Name, Limit = 2, Offset = 1 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(new[] { "2", "3" }));
            Assert.That(list.Pagination.Limit, Is.EqualTo(2));
            Assert.That(list.Pagination.Offset, Is.EqualTo(1));
            Assert.That(list.Pagination.Total, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task Consecutive_pages_of_tied_rows_neither_repeat_nor_skip()
    {
        var seen = new List<string>();
        for (var offset = 0; offset < 5; offset += 2)
            seen.AddRange(Names(await List(new ListJobsQuery { OrderBy = JobOrderBy.Owner, Order = SortOrder.Desc, Limit = 2, Offset = offset })));

        Assert.That(seen, Is.EqualTo(new[] { "5", "3", "1", "2", "4" }));
    }

    [Test]
    public async Task Limit_zero_returns_no_items_and_the_true_total()
    {
        var list = await List(new ListJobsQuery { Limit = 0 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.Items, Is.Empty);
            Assert.That(list.Pagination.Limit, Is.Zero);
            Assert.That(list.Pagination.Total, Is.EqualTo(5));
        }
    }

    [TestCase(5)]
    [TestCase(500)]
    public async Task Offset_at_or_past_the_end_returns_no_items(int offset)
    {
        var list = await List(new ListJobsQuery { Offset = offset });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.Items, Is.Empty);
            Assert.That(list.Pagination.Offset, Is.EqualTo(offset));
            Assert.That(list.Pagination.Total, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task Without_limit_the_default_page_size_is_used()
    {
        var list = await List(new ListJobsQuery { OrderBy = JobOrderBy.Name }, new PagingOptions { DefaultPageSize = 2, MaxPageSize = 3 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(new[] { "1", "2" }));
            Assert.That(list.Pagination.Limit, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_limit_above_the_maximum_is_clamped_and_the_clamped_limit_is_shown()
    {
        var list = await List(new ListJobsQuery { OrderBy = JobOrderBy.Name, Limit = 10 }, new PagingOptions { DefaultPageSize = 2, MaxPageSize = 3 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(new[] { "1", "2", "3" }));
            Assert.That(list.Pagination.Limit, Is.EqualTo(3));
            Assert.That(list.Pagination.Total, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task A_default_above_the_maximum_is_clamped_too()
    {
        var list = await List(new ListJobsQuery(), new PagingOptions { DefaultPageSize = 10, MaxPageSize = 4 });

        Assert.That(list.Pagination.Limit, Is.EqualTo(4));
    }

    [Test]
    public async Task No_jobs_gives_an_empty_page_and_a_zero_total()
    {
        using var empty = new SqliteTestDatabase();
        await using var context = empty.NewContext();

        var list = await new ListJobsQueryHandler(context, new UncachedRowCounts(), Mapper(), Options.Create(new PagingOptions()))
            .Handle(new ListJobsQuery(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.Items, Is.Empty);
            Assert.That(list.Pagination.Total, Is.Zero);
        }
    }

    private void AddFilterJobs() => _database.Add(
        Job(10, j => { j.Type = JobType.Task; j.TaskName = "package::install"; j.FinishedAt = Utc(23, 10); }),
        Job(11, j => { j.Type = JobType.Task; j.TaskName = "service::restart"; j.FinishedAt = Utc(23, 11); }),
        Job(12, j => { j.Type = JobType.PlanTask; j.TaskName = "package::status"; j.FinishedAt = Utc(23, 12); }),
        Job(13, j => { j.Type = JobType.Task; j.TaskName = "package::install"; j.FinishedAt = null; }));

    [Test]
    public async Task Filters_by_type_and_echoes_it()
    {
        AddFilterJobs();

        var list = await List(new ListJobsQuery { Type = JobType.Task, OrderBy = JobOrderBy.Name });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(new[] { "10", "11", "13" }));
            Assert.That(list.Pagination.Type, Is.EqualTo(JobType.Task));
            Assert.That(list.Pagination.Total, Is.EqualTo(3));
        }
    }

    [TestCase("package", new[] { "10", "12", "13" })]
    [TestCase("install", new[] { "10", "13" })]
    [TestCase("::", new[] { "10", "11", "12", "13" })]
    [TestCase("kage::st", new[] { "12" })]
    [TestCase("nothing", new string[0])]
    [TestCase("%", new string[0])]
    [TestCase("_", new string[0])]
    public async Task Filters_by_a_partial_task_name(string task, string[] expected)
    {
        AddFilterJobs();

        var list = await List(new ListJobsQuery { Task = task, OrderBy = JobOrderBy.Name });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(expected));
            Assert.That(list.Pagination.Task, Is.EqualTo(task));
            Assert.That(list.Pagination.Total, Is.EqualTo(expected.Length));
        }
    }

    [Test]
    public async Task Finish_timestamp_bounds_are_inclusive_and_exclude_unfinished_jobs()
    {
        AddFilterJobs();

        var list = await List(new ListJobsQuery { MinFinishTimestamp = Utc(23, 10), MaxFinishTimestamp = Utc(23, 11), OrderBy = JobOrderBy.Name });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(new[] { "10", "11" }));
            Assert.That(list.Pagination.MinFinishTimestamp, Is.EqualTo(Utc(23, 10)));
            Assert.That(list.Pagination.MaxFinishTimestamp, Is.EqualTo(Utc(23, 11)));
        }
    }

    [Test]
    public async Task Min_finish_alone_and_max_finish_alone()
    {
        AddFilterJobs();

        var fromEleven = await List(new ListJobsQuery { MinFinishTimestamp = Utc(23, 11), OrderBy = JobOrderBy.Name });
        var untilEleven = await List(new ListJobsQuery { MaxFinishTimestamp = Utc(23, 11), OrderBy = JobOrderBy.Name });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(fromEleven), Is.EqualTo(new[] { "11", "12" }));
            Assert.That(Names(untilEleven), Is.EqualTo(new[] { "10", "11" }));
        }
    }

    [Test]
    public async Task Filters_combine_and_the_total_counts_only_matches()
    {
        AddFilterJobs();

        var list = await List(new ListJobsQuery { Type = JobType.Task, Task = "install", MinFinishTimestamp = Utc(23), Limit = 0 });

        Assert.That(list.Pagination.Total, Is.EqualTo(1));
    }

    [TestCase(new[] { JobState.Finished }, new[] { "1", "4" })]
    [TestCase(new[] { JobState.Failed, JobState.New, JobState.Failed }, new[] { "2", "5" })]
    [TestCase(new[] { JobState.Stopped }, new string[0])]
    public async Task Filters_by_states_and_echoes_them_distinct_and_ordered(JobState[] states, string[] expected)
    {
        var list = await List(new ListJobsQuery { State = states, OrderBy = JobOrderBy.Name });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(list), Is.EqualTo(expected));
            Assert.That(list.Pagination.State, Is.EqualTo(states.Distinct().Order()));
            Assert.That(list.Pagination.Total, Is.EqualTo(expected.Length));
        }
    }

    [Test]
    public async Task Requests_of_one_shape_read_their_own_values()
    {
        // Both requests run the statement compiled for the first: each must bind its own owner and state.
        var bob = await List(new ListJobsQuery { Owner = "bob", State = [JobState.Running], OrderBy = JobOrderBy.Name });
        var alice = await List(new ListJobsQuery { Owner = "alice", State = [JobState.Failed], OrderBy = JobOrderBy.Name });

        Assert.That((Names(bob), Names(alice)), Is.EqualTo((new[] { "3" }, new[] { "2" })));
    }

    [Test]
    public async Task Every_filter_and_every_state_at_once()
    {
        // The widest statement: 15 values, as many as an EF Core compiled query takes.
        var list = await List(new ListJobsQuery
        {
            Type = JobType.Task, Task = "x", MinFinishTimestamp = Utc(1), MaxFinishTimestamp = Utc(30), Owner = "bob",
            Environment = "dev", State = Enum.GetValues<JobState>(), Offset = 1, Limit = 5,
        });

        Assert.That((list.Items, list.Pagination.Total), Is.EqualTo((Array.Empty<object>(), 0)));
    }
}
