using System.Text.Json.Serialization;
using Orchestrator.Application.Jobs.Common;

namespace Orchestrator.Application.Jobs.Queries.GetJobEvents;

/// <summary>The document of <c>GET /jobs/{job-id}/events</c>.</summary>
public sealed record JobEventsDto([property: JsonPropertyName("next-events")] NextEventsDto NextEvents, IReadOnlyList<EventDto> Items);
