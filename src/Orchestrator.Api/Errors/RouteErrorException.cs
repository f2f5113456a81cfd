namespace Orchestrator.Api.Errors;

/// <summary>
/// A request the routing table could not serve (no route, or the wrong method), raised by
/// <see cref="Controllers.ErrorsController"/> so that <see cref="OrchestratorErrorFilter"/> writes its body.
/// </summary>
public sealed class RouteErrorException(int statusCode, string method, string path)
    : Exception($"{method} {path} answered {statusCode}")
{
    public int StatusCode { get; } = statusCode;

    public string Method { get; } = method;

    public string Path { get; } = path;
}
