namespace Orchestrator.Application.Jobs.Common;

public sealed record EnvironmentDto(string Name);
