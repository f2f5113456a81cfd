namespace Orchestrator.Api.Errors;

/// <summary>Parameters rejected before any query was built (an empty job id segment in the path).</summary>
public sealed class InvalidParametersException(IReadOnlyList<ParameterError> errors) : Exception("Invalid parameters")
{
    public IReadOnlyList<ParameterError> Errors { get; } = errors;
}

/// <summary>One offending parameter: its wire name, the text the client sent, and what is wrong with it.</summary>
public sealed record ParameterError(string Parameter, string? Value, string Message);
