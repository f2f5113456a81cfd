using System.Text.Json.Serialization;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Queries.ListJobs;

/// <summary>The document of <c>GET /jobs</c>.</summary>
public sealed record JobListDto(IReadOnlyList<JobDto> Items, JobListPaginationDto Pagination);

/// <summary>The paging and filters actually used, and how many jobs match the filters in all.</summary>
public sealed record JobListPaginationDto
{
    public required int Limit { get; init; }

    public required int Offset { get; init; }

    public required JobOrderBy OrderBy { get; init; }

    public required SortOrder Order { get; init; }

    /// <summary>Present when the request filtered on a job type.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JobType? Type { get; init; }

    /// <summary>Present when the request filtered on a task name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Task { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? MinFinishTimestamp { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? MaxFinishTimestamp { get; init; }

    /// <summary>Extension: present when the request filtered on job states.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<JobState>? State { get; init; }

    /// <summary>Extension: present when the request filtered on an owner's login.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Owner { get; init; }

    /// <summary>Extension: present when the request filtered on an environment.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Environment { get; init; }

    /// <summary>The number of jobs matching the filters, regardless of limit and offset.</summary>
    public required int Total { get; init; }
}
