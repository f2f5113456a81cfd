namespace Orchestrator.Application.Jobs.Queries.GetJobNodes;

/// <summary>The <c>order_by</c> values of <c>GET /jobs/{job-id}/nodes</c>; <c>name</c> is the default.</summary>
public enum NodeOrderBy
{
    Name,
    Duration,
    State,
    StartTimestamp,
    FinishTimestamp,
}
