namespace Orchestrator.Application.Jobs.Common;

/// <summary>A link object: <c>{ "id": "https://host:8143/orchestrator/v1/jobs/1234/nodes" }</c>.</summary>
public sealed record LinkDto(string Id);
