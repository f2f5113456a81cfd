using System.Text.Json.Serialization;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Queries.GetJobNodes;

/// <summary>One node of a job.</summary>
public sealed record NodeDto
{
    /// <summary>Deprecated: the time of the most recent activity on the node.</summary>
    public required DateTime? Timestamp { get; init; }

    public required DateTime? StartTimestamp { get; init; }

    public required DateTime? FinishTimestamp { get; init; }

    /// <summary>Seconds the run took, or has taken so far while running; null when not started or skipped.</summary>
    public double? Duration => DurationOf(State, StartTimestamp, FinishTimestamp, MeasuredAt);

    public required NodeState State { get; init; }

    /// <summary>Deprecated: the id of the node's last report.</summary>
    public required string? TransactionUuid { get; init; }

    public required string Name { get; init; }

    /// <summary>Free-form information about the node's last event and state, exactly as stored.</summary>
    public required RawJson? Details { get; init; }

    /// <summary>The run's result (task output, puppet metrics or an error), exactly as stored.</summary>
    public required RawJson? Result { get; init; }

    public required string? Transport { get; init; }

    /// <summary>The id of the node's newest event.</summary>
    [JsonPropertyName("latest-event-id")]
    public required long? LatestEventId { get; init; }

    /// <summary>The instant a running node's duration is measured to: the request's now.</summary>
    [JsonIgnore]
    public DateTime MeasuredAt { get; init; }

    /// <summary>Finish minus start once finished; now minus start while running; otherwise null.</summary>
    public static double? DurationOf(NodeState state, DateTime? start, DateTime? finish, DateTime now) =>
        (state, start, finish) switch
        {
            (NodeState.Skipped, _, _) or (_, null, _) => null,
            (_, { } s, { } f) => (f - s).TotalSeconds,
            (NodeState.Running, { } s, null) => Math.Max(0, (now - s).TotalSeconds),
            _ => null,
        };
}

/// <summary>The document of <c>GET /jobs/{job-id}/nodes</c>.</summary>
/// <remarks><c>Items</c> is read from the database while the document is written; enumerate it once, in the request.</remarks>
public sealed record JobNodesDto(
    [property: JsonPropertyName("next-events")] NextEventsDto NextEvents,
    IAsyncEnumerable<NodeDto> Items);
