using Orchestrator.Application.Jobs.Queries.GetJob;
using Orchestrator.UnitTests.TestSupport;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.GetJob;

public sealed class GetJobQueryValidatorTests
{
    private readonly GetJobQueryValidator _validator = new();

    [TestCase(1L)]
    [TestCase(long.MaxValue)]
    public void A_positive_job_id_is_valid(long jobId) => ValidationAssert.Valid(_validator.Validate(new GetJobQuery(jobId)));

    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(long.MinValue)]
    public void A_job_id_below_one_is_rejected(long jobId) =>
        ValidationAssert.Invalid(_validator.Validate(new GetJobQuery(jobId)), "JobId", "must be a positive integer");
}
