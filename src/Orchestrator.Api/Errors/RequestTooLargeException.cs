namespace Orchestrator.Api.Errors;

/// <summary>The URL or the headers are over the configured limits (414, 431).</summary>
public sealed class RequestTooLargeException(int statusCode, string message, int limit) : Exception(message)
{
    /// <summary>Where the limit middleware leaves the details for the re-executed error request.</summary>
    public const string ItemKey = "Orchestrator.RequestTooLarge";

    public int StatusCode { get; } = statusCode;

    public int Limit { get; } = limit;
}
