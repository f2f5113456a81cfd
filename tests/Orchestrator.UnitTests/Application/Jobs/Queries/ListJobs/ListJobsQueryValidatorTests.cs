using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;
using Orchestrator.UnitTests.TestSupport;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.ListJobs;

public sealed class ListJobsQueryValidatorTests
{
    private static readonly DateTime Noon = new(2016, 5, 20, 12, 0, 0, DateTimeKind.Utc);

    private readonly ListJobsQueryValidator _validator = new();

    [Test]
    public void An_empty_query_is_valid() => ValidationAssert.Valid(_validator.Validate(new ListJobsQuery()));

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(int.MaxValue)]
    public void A_non_negative_limit_is_valid(int limit) =>
        ValidationAssert.Valid(_validator.Validate(new ListJobsQuery { Limit = limit }));

    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void A_negative_limit_is_rejected(int limit) =>
        ValidationAssert.Invalid(_validator.Validate(new ListJobsQuery { Limit = limit }), "Limit", "must be a non-negative integer");

    [TestCase(0)]
    [TestCase(20)]
    public void A_non_negative_offset_is_valid(int offset) =>
        ValidationAssert.Valid(_validator.Validate(new ListJobsQuery { Offset = offset }));

    [Test]
    public void A_negative_offset_is_rejected() =>
        ValidationAssert.Invalid(_validator.Validate(new ListJobsQuery { Offset = -1 }), "Offset", "must be a non-negative integer");

    [Test]
    public void Task_with_type_deploy_is_rejected() =>
        ValidationAssert.Invalid(
            _validator.Validate(new ListJobsQuery { Type = JobType.Deploy, Task = "package::install" }),
            "Task", "cannot be combined with type=deploy");

    [TestCase(JobType.Task)]
    [TestCase(JobType.PlanTask)]
    public void Task_with_another_type_is_valid(JobType type) =>
        ValidationAssert.Valid(_validator.Validate(new ListJobsQuery { Type = type, Task = "package::install" }));

    [Test]
    public void Type_deploy_without_task_is_valid() =>
        ValidationAssert.Valid(_validator.Validate(new ListJobsQuery { Type = JobType.Deploy }));

    [Test]
    public void Task_of_the_maximum_length_is_valid() =>
        ValidationAssert.Valid(_validator.Validate(new ListJobsQuery { Task = new string('t', ListJobsQueryValidator.MaxTaskLength) }));

    [Test]
    public void Task_longer_than_the_maximum_is_rejected() =>
        ValidationAssert.Invalid(
            _validator.Validate(new ListJobsQuery { Task = new string('t', ListJobsQueryValidator.MaxTaskLength + 1) }),
            "Task", "must be at most 255 characters");

    [Test]
    public void Owner_and_environment_of_the_maximum_length_are_valid() =>
        ValidationAssert.Valid(_validator.Validate(new ListJobsQuery
        {
            Owner = new string('o', ListJobsQueryValidator.MaxNameLength),
            Environment = new string('e', ListJobsQueryValidator.MaxNameLength),
        }));

    [Test]
    public void Owner_longer_than_the_maximum_is_rejected() =>
        ValidationAssert.Invalid(
            _validator.Validate(new ListJobsQuery { Owner = new string('o', ListJobsQueryValidator.MaxNameLength + 1) }),
            "Owner", "must be at most 255 characters");

    [Test]
    public void Environment_longer_than_the_maximum_is_rejected() =>
        ValidationAssert.Invalid(
            _validator.Validate(new ListJobsQuery { Environment = new string('e', ListJobsQueryValidator.MaxNameLength + 1) }),
            "Environment", "must be at most 255 characters");

    [Test]
    public void Max_finish_equal_to_min_finish_is_valid() =>
        ValidationAssert.Valid(_validator.Validate(new ListJobsQuery { MinFinishTimestamp = Noon, MaxFinishTimestamp = Noon }));

    [Test]
    public void Max_finish_after_min_finish_is_valid() =>
        ValidationAssert.Valid(_validator.Validate(
            new ListJobsQuery { MinFinishTimestamp = Noon, MaxFinishTimestamp = Noon.AddSeconds(1) }));

    [Test]
    public void Max_finish_before_min_finish_is_rejected() =>
        ValidationAssert.Invalid(
            _validator.Validate(new ListJobsQuery { MinFinishTimestamp = Noon, MaxFinishTimestamp = Noon.AddSeconds(-1) }),
            "MaxFinishTimestamp", "must not be earlier than min_finish_timestamp");

    [Test]
    public void Either_finish_bound_alone_is_valid()
    {
        using (Assert.EnterMultipleScope())
        {
            ValidationAssert.Valid(_validator.Validate(new ListJobsQuery { MinFinishTimestamp = Noon }));
            ValidationAssert.Valid(_validator.Validate(new ListJobsQuery { MaxFinishTimestamp = Noon }));
        }
    }

    [Test]
    public void Every_failure_is_reported()
    {
        var result = _validator.Validate(new ListJobsQuery { Limit = -1, Offset = -2, Type = JobType.Deploy, Task = "x" });

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "Limit", "Offset", "Task" }));
    }
}
