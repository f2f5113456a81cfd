using System.Text.Json.Serialization;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>Where a client polls next: the events URL with <c>?start=N</c>, and N as a string.</summary>
public sealed record NextEventsDto(string Id, [property: JsonPropertyName("event")] string Event);
