using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Orchestrator.Api.Authentication;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Http;
using Orchestrator.Api.OpenApi;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Application.Jobs.Queries.GetJob;
using Orchestrator.Application.Jobs.Queries.GetJobEvents;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Application.Jobs.Queries.GetJobReport;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Api.Controllers;

/// <summary>
/// The orchestrator jobs endpoints. Each action only binds its parameters and sends one query; the handler
/// beside the query (Application/Jobs/Queries/...) holds the LINQ that becomes SQL.
/// </summary>
[ApiController]
[Authorize(Policy = AuthSetup.ViewJobsPolicy)]
[EnableRateLimiting(RateLimitOptions.Policy)]
[Route("orchestrator/v1/jobs")]
// After the error filter has turned invalid parameters into a 400, so a request that is refused opens nothing.
[TypeFilter<OpenConnectionFilter>(Order = 1000)]
[Produces("application/json")]
[ProducesResponseType(StatusCodes.Status304NotModified)]
[ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
[ProducesResponseType<ErrorResponse>(StatusCodes.Status401Unauthorized)]
[ProducesResponseType<ErrorResponse>(StatusCodes.Status403Forbidden)]
[ProducesResponseType<ErrorResponse>(StatusCodes.Status429TooManyRequests)]
[ProducesResponseType<ErrorResponse>(StatusCodes.Status500InternalServerError)]
[ProducesResponseType<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)]
public sealed class JobsController(ISender sender) : ControllerBase
{
    /// <summary>Lists jobs, a page at a time.</summary>
    /// <param name="limit">Return at most this many jobs (default and maximum: the configured page sizes).</param>
    /// <param name="offset">Skip this many jobs first (zero-based).</param>
    /// <param name="orderBy">Order by this column; <c>owner</c> sorts on the owner's login, <c>name</c> on the job id. Default <c>timestamp</c>.</param>
    /// <param name="order">Ascending (default) or descending; ties are broken by job id in the same direction.</param>
    /// <param name="type">Only jobs of this type.</param>
    /// <param name="task">Only jobs whose task name contains this text; not with <c>type=deploy</c>.</param>
    /// <param name="minFinishTimestamp">Only jobs that finished at or after this UTC time.</param>
    /// <param name="maxFinishTimestamp">Only jobs that finished at or before this UTC time.</param>
    /// <param name="state">Extension: only jobs in one of these states (comma-separated or repeated).</param>
    /// <param name="owner">Extension: only jobs whose owner has this login.</param>
    /// <param name="environment">Extension: only jobs in this environment.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    [HttpGet(Name = "Jobs_List")]
    [CachedDocument]
    // Only searches the document cache could not answer reach it; it runs before OpenConnectionFilter and the handler.
    [TypeFilter<SearchLimitFilter>(Order = 999)]
    [ProducesResponseType<JobListDto>(StatusCodes.Status200OK)]
    public async Task<ActionResult<JobListDto>> List(
        [FromQuery, Minimum(0)] int? limit,
        [FromQuery, Minimum(0), DocumentedDefault(0)] int? offset,
        [FromQuery(Name = "order_by"), DocumentedDefault("timestamp")] JobOrderBy? orderBy,
        [FromQuery, DocumentedDefault("asc")] SortOrder? order,
        [FromQuery] JobType? type,
        [FromQuery] string? task,
        [FromQuery(Name = "min_finish_timestamp")] DateTime? minFinishTimestamp,
        [FromQuery(Name = "max_finish_timestamp")] DateTime? maxFinishTimestamp,
        [FromQuery, Extension] JobState[]? state,
        [FromQuery, Extension] string? owner,
        [FromQuery, Extension] string? environment,
        CancellationToken cancellationToken) =>
        await sender.Send(new ListJobsQuery
        {
            Limit = limit,
            Offset = offset ?? 0,
            OrderBy = orderBy ?? ListJobsQuery.DefaultOrderBy,
            Order = order ?? SortOrder.Asc,
            Type = type,
            Task = task,
            MinFinishTimestamp = minFinishTimestamp,
            MaxFinishTimestamp = maxFinishTimestamp,
            State = state,
            Owner = owner,
            Environment = environment,
        }, cancellationToken);

    /// <summary>Gets one job with its state history and node counts.</summary>
    /// <param name="jobId">The job id, a positive integer.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    [HttpGet("{job_id}", Name = "Jobs_Get")]
    [CachedDocument]
    [ProducesResponseType<JobDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<JobDto>> Get([FromRoute(Name = "job_id"), Minimum(1)] long jobId, CancellationToken cancellationToken) =>
        await sender.Send(new GetJobQuery(jobId), cancellationToken);

    /// <summary>Lists the job's nodes with their results, and where its events continue.</summary>
    /// <param name="jobId">The job id, a positive integer.</param>
    /// <param name="limit">Return at most this many nodes; all of them when absent.</param>
    /// <param name="offset">Skip this many nodes first (zero-based).</param>
    /// <param name="orderBy">Order by this column (default <c>name</c>); ties are broken by node id.</param>
    /// <param name="order">Ascending (default) or descending.</param>
    /// <param name="state">Only nodes in this state.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    [HttpGet("{job_id}/nodes", Name = "Jobs_GetNodes")]
    [ProducesResponseType<JobNodesDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<JobNodesDto>> GetNodes(
        [FromRoute(Name = "job_id"), Minimum(1)] long jobId,
        [FromQuery, Minimum(0)] int? limit,
        [FromQuery, Minimum(0), DocumentedDefault(0)] int? offset,
        [FromQuery(Name = "order_by"), DocumentedDefault("name")] NodeOrderBy? orderBy,
        [FromQuery, DocumentedDefault("asc")] SortOrder? order,
        [FromQuery] NodeState? state,
        CancellationToken cancellationToken) =>
        await sender.Send(new GetJobNodesQuery(jobId)
        {
            Limit = limit,
            Offset = offset ?? 0,
            OrderBy = orderBy ?? NodeOrderBy.Name,
            Order = order ?? SortOrder.Asc,
            State = state,
        }, cancellationToken);

    /// <summary>Gets the job's report: each node's state and events.</summary>
    /// <param name="jobId">The job id, a positive integer.</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    [HttpGet("{job_id}/report", Name = "Jobs_GetReport")]
    [ProducesResponseType<JobReportDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<JobReportDto>> GetReport([FromRoute(Name = "job_id"), Minimum(1)] long jobId, CancellationToken cancellationToken) =>
        await sender.Send(new GetJobReportQuery(jobId), cancellationToken);

    /// <summary>Lists the job's events from <c>start</c> on, oldest first; poll again from <c>next-events.event</c>.</summary>
    /// <param name="jobId">The job id, a positive integer.</param>
    /// <param name="start">Only events whose id is at least this.</param>
    /// <param name="limit">Return at most this many events (default and maximum: the configured page sizes).</param>
    /// <param name="cancellationToken">Aborted with the request.</param>
    [HttpGet("{job_id}/events", Name = "Jobs_GetEvents")]
    [CachedDocument]
    [ProducesResponseType<JobEventsDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<JobEventsDto>> GetEvents(
        [FromRoute(Name = "job_id"), Minimum(1)] long jobId,
        [FromQuery, Minimum(0)] long? start,
        [FromQuery, Minimum(0)] int? limit,
        CancellationToken cancellationToken) =>
        await sender.Send(new GetJobEventsQuery(jobId) { Start = start, Limit = limit }, cancellationToken);
}
