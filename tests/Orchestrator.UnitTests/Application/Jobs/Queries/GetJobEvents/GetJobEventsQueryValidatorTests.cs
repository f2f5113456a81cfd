using Orchestrator.Application.Jobs.Queries.GetJobEvents;
using Orchestrator.UnitTests.TestSupport;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.GetJobEvents;

public sealed class GetJobEventsQueryValidatorTests
{
    private readonly GetJobEventsQueryValidator _validator = new();

    [TestCase(null, null)]
    [TestCase(0L, 0)]
    [TestCase(1272L, 20)]
    public void In_range_start_and_limit_are_valid(long? start, int? limit) =>
        ValidationAssert.Valid(_validator.Validate(new GetJobEventsQuery(1) { Start = start, Limit = limit }));

    [TestCase(0L)]
    [TestCase(-1L)]
    public void A_job_id_below_one_is_rejected(long jobId) =>
        ValidationAssert.Invalid(_validator.Validate(new GetJobEventsQuery(jobId)), "JobId", "must be a positive integer");

    [Test]
    public void A_negative_start_is_rejected() =>
        ValidationAssert.Invalid(_validator.Validate(new GetJobEventsQuery(1) { Start = -1 }), "Start", "must be a non-negative integer");

    [Test]
    public void A_negative_limit_is_rejected() =>
        ValidationAssert.Invalid(_validator.Validate(new GetJobEventsQuery(1) { Limit = -1 }), "Limit", "must be a non-negative integer");
}
