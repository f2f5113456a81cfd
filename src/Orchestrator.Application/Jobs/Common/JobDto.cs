using Orchestrator.Application.Common.Json;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>A job document: one item of <c>GET /jobs</c>, and the whole of <c>GET /jobs/{job-id}</c>.</summary>
public sealed record JobDto
{
    /// <summary>The absolute URL of the job.</summary>
    public required string Id { get; init; }

    /// <summary>The job id as a string.</summary>
    public required string Name { get; init; }

    public required JobType Type { get; init; }

    public required JobState State { get; init; }

    public required string Command { get; init; }

    /// <summary>The options the job was created with, exactly as stored.</summary>
    public required RawJson Options { get; init; }

    /// <summary>The subject that requested the job (at least <c>id</c> and <c>login</c>), exactly as stored.</summary>
    public required RawJson Owner { get; init; }

    /// <summary>Deprecated: prefer <c>options.description</c>.</summary>
    public required string? Description { get; init; }

    /// <summary>When the job state last changed.</summary>
    public required DateTime Timestamp { get; init; }

    public required EnvironmentDto? Environment { get; init; }

    public required int NodeCount { get; init; }

    /// <summary>Nodes per state, states with no node left out; null when the job has no nodes.</summary>
    public required IReadOnlyDictionary<string, int>? NodeStates { get; init; }

    public required RawJson? Userdata { get; init; }

    public required IReadOnlyList<JobStatusDto> Status { get; init; }

    public required LinkDto Nodes { get; init; }

    public required LinkDto Report { get; init; }

    public required LinkDto Events { get; init; }
}

/// <summary>One entry of a job's state history; the current state has <c>exit_time: null</c>.</summary>
public sealed record JobStatusDto
{
    public required JobState State { get; init; }

    public required DateTime EnterTime { get; init; }

    public required DateTime? ExitTime { get; init; }
}

public sealed record EnvironmentDto(string Name);

/// <summary>A link object: <c>{ "id": "https://host:8143/orchestrator/v1/jobs/1234/nodes" }</c>.</summary>
public sealed record LinkDto(string Id);
