using System.Text.Json.Serialization;
using Orchestrator.Application.Common.Json;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>An event item, as <c>/events</c> and <c>/report</c> serve it.</summary>
public sealed record EventDto
{
    /// <summary>The event id as a string of digits.</summary>
    public required string Id { get; init; }

    public required EventType Type { get; init; }

    public required DateTime Timestamp { get; init; }

    /// <summary>Free-form: <c>node</c> names the node; job-level events have none.</summary>
    public required RawJson Details { get; init; }

    public required string? Message { get; init; }
}

/// <summary>Where a client polls next: the events URL with <c>?start=N</c>, and N as a string.</summary>
public sealed record NextEventsDto(string Id, [property: JsonPropertyName("event")] string Event);
