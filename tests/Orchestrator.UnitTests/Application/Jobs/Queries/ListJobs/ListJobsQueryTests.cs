using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.ListJobs;

public sealed class ListJobsQueryTests
{
    [Test]
    public void Requests_that_mean_the_same_are_equal()
    {
        var spelled = new ListJobsQuery { State = [JobState.Failed, JobState.New, JobState.Failed], Task = "", Owner = "", Environment = "" };
        var plain = new ListJobsQuery { State = [JobState.New, JobState.Failed] };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spelled, Is.EqualTo(plain));
            Assert.That(spelled.GetHashCode(), Is.EqualTo(plain.GetHashCode()));
            Assert.That(spelled.State, Is.EqualTo(new[] { JobState.New, JobState.Failed }));
            Assert.That((spelled.Task, spelled.Owner, spelled.Environment), Is.EqualTo(((string?)null, (string?)null, (string?)null)));
            Assert.That(new ListJobsQuery { State = [] }.State, Is.Null);
        }
    }

    [Test]
    public void Filters_leave_the_paging_out_and_keep_every_filter()
    {
        var page = new ListJobsQuery
        {
            Limit = 20, Offset = 40, OrderBy = JobOrderBy.Owner, Order = SortOrder.Desc, Type = JobType.Task, Owner = "brian",
        };
        var other = page with { Limit = 5, Offset = 0, OrderBy = JobOrderBy.State };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Filters, Is.EqualTo(other.Filters));
            Assert.That(page.Filters, Is.EqualTo(new ListJobsQuery { Type = JobType.Task, Owner = "brian" }));
            Assert.That(page.Filters, Is.Not.EqualTo((page with { Owner = "carol" }).Filters));
        }
    }
}
