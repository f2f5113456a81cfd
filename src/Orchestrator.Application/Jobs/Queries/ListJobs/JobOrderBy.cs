namespace Orchestrator.Application.Jobs.Queries.ListJobs;

/// <summary>The <c>order_by</c> values of <c>GET /jobs</c>. <c>owner</c> sorts on the owner's login, <c>name</c> on the job id.</summary>
public enum JobOrderBy
{
    Owner,
    Timestamp,
    Environment,
    Name,
    State,
}
