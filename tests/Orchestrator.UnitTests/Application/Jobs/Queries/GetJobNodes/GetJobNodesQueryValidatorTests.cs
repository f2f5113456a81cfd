using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Domain.Enums;
using Orchestrator.UnitTests.TestSupport;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.GetJobNodes;

public sealed class GetJobNodesQueryValidatorTests
{
    private readonly GetJobNodesQueryValidator _validator = new();

    [Test]
    public void A_query_with_every_parameter_in_range_is_valid() =>
        ValidationAssert.Valid(_validator.Validate(new GetJobNodesQuery(1)
        {
            Limit = 0,
            Offset = 0,
            OrderBy = NodeOrderBy.Duration,
            Order = SortOrder.Desc,
            State = NodeState.Skipped,
        }));

    [TestCase(0L)]
    [TestCase(-5L)]
    public void A_job_id_below_one_is_rejected(long jobId) =>
        ValidationAssert.Invalid(_validator.Validate(new GetJobNodesQuery(jobId)), "JobId", "must be a positive integer");

    [Test]
    public void A_negative_limit_is_rejected() =>
        ValidationAssert.Invalid(_validator.Validate(new GetJobNodesQuery(1) { Limit = -1 }), "Limit", "must be a non-negative integer");

    [Test]
    public void A_negative_offset_is_rejected() =>
        ValidationAssert.Invalid(_validator.Validate(new GetJobNodesQuery(1) { Offset = -1 }), "Offset", "must be a non-negative integer");
}
