using FluentValidation;
using Orchestrator.Application.Common.Behaviours;
using Orchestrator.Application.Jobs.Queries.ListJobs;

namespace Orchestrator.UnitTests.Application.Common.Behaviours;

public sealed class ValidationBehaviourTests
{
    private static readonly JobListDto Answer = new([], new JobListPaginationDto
    {
        Limit = 1, Offset = 0, OrderBy = JobOrderBy.Timestamp, Order = Orchestrator.Application.Common.Paging.SortOrder.Asc, Total = 0,
    });

    private int _nextCalls;

    [SetUp]
    public void ResetCalls() => _nextCalls = 0;

    private ValueTask<JobListDto> Next(ListJobsQuery query, CancellationToken cancellationToken)
    {
        _nextCalls++;
        return ValueTask.FromResult(Answer);
    }

    [Test]
    public void Invalid_message_throws_with_every_failure_and_skips_the_handler()
    {
        var behaviour = new ValidationBehaviour<ListJobsQuery, JobListDto>([new ListJobsQueryValidator()]);

        var exception = Assert.ThrowsAsync<ValidationException>(async () => await behaviour.Handle(
            new ListJobsQuery { Limit = -1, Offset = -1, Type = Domain.Enums.JobType.Deploy, Task = "x" }, Next, CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Errors.Select(e => (e.PropertyName, e.ErrorMessage)), Is.EqualTo(new[]
            {
                ("Limit", "must be a non-negative integer"),
                ("Offset", "must be a non-negative integer"),
                ("Task", "cannot be combined with type=deploy"),
            }));
            Assert.That(_nextCalls, Is.Zero);
        }
    }

    // SRC BUG (see the unit-test report): ValidationBehaviour shares one ValidationContext between validators,
    // and FluentValidation accumulates failures on the context, so each validator's result repeats the failures
    // of the validators before it. This pins today's duplicated list; once each validator gets its own context
    // the expected list becomes Limit, Offset, Task.
    [Test]
    public void Two_validators_report_each_failure_once()
    {
        var extra = new InlineValidator<ListJobsQuery>();
        extra.RuleFor(q => q.Task).NotNull().WithMessage("is required here");
        var behaviour = new ValidationBehaviour<ListJobsQuery, JobListDto>([new ListJobsQueryValidator(), extra]);

        var exception = Assert.ThrowsAsync<ValidationException>(
            async () => await behaviour.Handle(new ListJobsQuery { Limit = -1, Offset = -1 }, Next, CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Errors.Select(e => (e.PropertyName, e.ErrorMessage)), Is.EqualTo(new[]
            {
                ("Limit", "must be a non-negative integer"),
                ("Offset", "must be a non-negative integer"),
                ("Task", "is required here"),
            }));
            Assert.That(_nextCalls, Is.Zero);
        }
    }

    [Test]
    public async Task Valid_message_reaches_the_handler()
    {
        var behaviour = new ValidationBehaviour<ListJobsQuery, JobListDto>([new ListJobsQueryValidator()]);

        var answer = await behaviour.Handle(new ListJobsQuery { Limit = 5 }, Next, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer, Is.SameAs(Answer));
            Assert.That(_nextCalls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Message_without_validators_reaches_the_handler()
    {
        var behaviour = new ValidationBehaviour<ListJobsQuery, JobListDto>([]);

        var answer = await behaviour.Handle(new ListJobsQuery { Limit = -1 }, Next, CancellationToken.None);

        Assert.That(answer, Is.SameAs(Answer));
    }
}
