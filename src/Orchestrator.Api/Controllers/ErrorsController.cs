using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Orchestrator.Api.Authentication;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Controllers;

/// <summary>
/// Where the status-code and exception middleware re-execute requests that never reached (or failed outside)
/// a controller, so that <see cref="OrchestratorErrorFilter"/> writes those bodies too.
/// </summary>
[ApiController]
[AllowAnonymous]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed partial class ErrorsController : ControllerBase
{
    [Route("/errors/{statusCode:int}")]
    public IActionResult Error(int statusCode)
    {
        if (HttpContext.Features.Get<IExceptionHandlerFeature>() is { } failure)
            ExceptionDispatchInfo.Throw(failure.Error);

        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var path = reExecuted is null ? Request.Path.Value ?? "" : reExecuted.OriginalPathBase + reExecuted.OriginalPath;

        // /jobs//nodes: the job id is there, only empty; that is a bad id, not a missing route.
        if (reExecuted is not null && statusCode == StatusCodes.Status404NotFound && EmptyJobIdPath().IsMatch(reExecuted.OriginalPath))
            throw new InvalidParametersException([new ParameterError("job_id", "", "must be a positive integer")]);

        // A direct request for /errors/... is an unknown route like any other.
        if (reExecuted is null)
            throw new RouteErrorException(StatusCodes.Status404NotFound, Request.Method, path);

        throw statusCode switch
        {
            StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden =>
                new AccessDeniedException(statusCode, Credentials.Sent(Request)),
            StatusCodes.Status429TooManyRequests => new RateLimitedException(),
            StatusCodes.Status414RequestUriTooLong or StatusCodes.Status431RequestHeaderFieldsTooLarge =>
                HttpContext.Items[RequestTooLargeException.ItemKey] as RequestTooLargeException
                    ?? new RequestTooLargeException(statusCode, "The request is too large", 0),
            _ => new RouteErrorException(statusCode, Request.Method, path),
        };
    }

    [GeneratedRegex("^/orchestrator/v1/jobs//(nodes|report|events)/?$")]
    private static partial Regex EmptyJobIdPath();
}
