using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Queries.GetJobReport;

/// <summary>The document of <c>GET /jobs/{job-id}/report</c>.</summary>
/// <remarks><c>Items</c> is read from the database while the document is written; enumerate it once, in the request.</remarks>
public sealed record JobReportDto(IAsyncEnumerable<JobReportItemDto> Items);

/// <summary>One node of the report; <c>timestamp</c> is the node's latest activity.</summary>
public sealed record JobReportItemDto(string Node, NodeState State, DateTime? Timestamp, IReadOnlyList<EventDto> Events);
