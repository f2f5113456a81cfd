using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Orchestrator.Application.Common.Errors;

namespace Orchestrator.Api.Errors;

/// <summary>
/// The one place that turns failures into HTTP answers, all in the orchestrator's error shape
/// (<see cref="ErrorResponse"/>): parameters that did not bind (model state), FluentValidation failures
/// from the mediator pipeline, unknown jobs, and, re-executed through <see cref="Controllers.ErrorsController"/>,
/// unmatched routes and methods, refused credentials and permissions, rate limits and oversized requests; an
/// unreachable database, and anything unexpected.
/// </summary>
public sealed class OrchestratorErrorFilter(ILogger<OrchestratorErrorFilter> logger) : IActionFilter, IExceptionFilter
{
    /// <summary>Echoed values are cut to this length so an error body never grows with the request.</summary>
    public const int MaxEchoedLength = 100;

    public void OnActionExecuting(ActionExecutingContext context)
    {
        if (!context.ModelState.IsValid)
            context.Result = ValidationError(FromModelState(context.ModelState));
    }

    public void OnActionExecuted(ActionExecutedContext context)
    {
    }

    public void OnException(ExceptionContext context)
    {
        context.Result = context.Exception switch
        {
            ValidationException e => ValidationError(FromValidation(e, context.ModelState)),
            InvalidParametersException e => ValidationError(e.Errors),
            UnknownJobException e => Error(
                StatusCodes.Status404NotFound, ErrorKinds.UnknownJob, e.Message,
                new() { ["job_id"] = e.JobId.ToString(CultureInfo.InvariantCulture) }),
            RouteErrorException { StatusCode: StatusCodes.Status405MethodNotAllowed } e => Error(
                e.StatusCode, ErrorKinds.MethodNotAllowed, $"Method {Echo(e.Method)} is not allowed on {Echo(e.Path)}",
                new() { ["method"] = Echo(e.Method), ["path"] = Echo(e.Path) }),
            RouteErrorException e => Error(
                StatusCodes.Status404NotFound, ErrorKinds.NotFound, $"No resource at {Echo(e.Path)}",
                new() { ["path"] = Echo(e.Path) }),
            AccessDeniedException { StatusCode: StatusCodes.Status403Forbidden } => Error(
                StatusCodes.Status403Forbidden, ErrorKinds.NotPermitted,
                $"Viewing jobs requires the {Authentication.AuthOptions.ViewPermission} permission",
                new() { ["permission"] = Authentication.AuthOptions.ViewPermission }),
            AccessDeniedException { CredentialsSent: true } => Error(
                StatusCodes.Status401Unauthorized, ErrorKinds.InvalidToken, "The provided authentication token is not valid", []),
            AccessDeniedException => Error(
                StatusCodes.Status401Unauthorized, ErrorKinds.UserUnauthenticated, "Route requires authentication", []),
            RateLimitedException => Error(
                StatusCodes.Status429TooManyRequests, ErrorKinds.RateLimited, "Too many requests; try again shortly", []),
            RequestTooLargeException e => Error(
                e.StatusCode, ErrorKinds.RequestTooLarge, e.Message, new() { ["limit"] = e.Limit.ToString(CultureInfo.InvariantCulture) }),
            OperationCanceledException when context.HttpContext.RequestAborted.IsCancellationRequested =>
                new StatusCodeResult(StatusCodes.Status499ClientClosedRequest),
            // A statement interrupted because the client went away is not a database failure.
            _ when context.HttpContext.RequestAborted.IsCancellationRequested && IsDatabaseFailure(context.Exception) =>
                new StatusCodeResult(StatusCodes.Status499ClientClosedRequest),
            DatabaseBusyException e => Busy(context, e),
            _ when IsDatabaseFailure(context.Exception) => DatabaseUnavailable(context),
            _ => UnknownError(context),
        };
        context.ExceptionHandled = true;
    }

    public static ObjectResult ValidationError(IReadOnlyList<ParameterError> errors)
    {
        var msg = string.Join("; ", errors.Select(e => $"{e.Parameter} {e.Message}"));
        var details = new Dictionary<string, string>();
        foreach (var error in errors)
            details.TryAdd(error.Parameter, Echo(error.Value));
        return Error(StatusCodes.Status400BadRequest, ErrorKinds.ValidationError, msg, details);
    }

    public static ObjectResult Error(int status, string kind, string msg, Dictionary<string, string> details) =>
        new(new ErrorResponse(kind, msg, details)) { StatusCode = status, ContentTypes = { "application/json" } };

    private static List<ParameterError> FromModelState(ModelStateDictionary modelState) =>
        modelState
            .Where(entry => entry.Value is { ValidationState: ModelValidationState.Invalid })
            .SelectMany(entry => entry.Value!.Errors.Select(error => new ParameterError(
                entry.Key, entry.Value.AttemptedValue, WithoutException(error))))
            .ToList();

    // Property names of the query records are the wire names in PascalCase (MinFinishTimestamp is
    // min_finish_timestamp); the text the client sent is in model state under that wire name.
    private static List<ParameterError> FromValidation(ValidationException exception, ModelStateDictionary modelState) =>
        exception.Errors.Select(failure =>
        {
            var parameter = JsonNamingPolicy.SnakeCaseLower.ConvertName(failure.PropertyName);
            var sent = modelState.TryGetValue(parameter, out var entry) ? entry.AttemptedValue : null;
            return new ParameterError(parameter, sent ?? Convert.ToString(failure.AttemptedValue, CultureInfo.InvariantCulture), failure.ErrorMessage);
        }).ToList();

    private static string WithoutException(ModelError error) =>
        string.IsNullOrEmpty(error.ErrorMessage) ? "is not valid" : error.ErrorMessage;

    private static string Echo(string? value) =>
        value is null ? "" : value.Length <= MaxEchoedLength ? value : string.Concat(value.AsSpan(0, MaxEchoedLength), "…");

    private static bool IsDatabaseFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or TimeoutException)
                return true;
        }

        return false;
    }

    private ObjectResult DatabaseUnavailable(ExceptionContext context)
    {
        logger.LogError(context.Exception, "The database failed while serving {Path}", context.HttpContext.Request.Path);
        return Error(StatusCodes.Status503ServiceUnavailable, ErrorKinds.DatabaseUnavailable,
            "The job database is unavailable; try again shortly.",
            new() { ["trace_id"] = context.HttpContext.TraceIdentifier });
    }

    private static ObjectResult Busy(ExceptionContext context, DatabaseBusyException exception)
    {
        context.HttpContext.Response.Headers.RetryAfter = exception.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Error(StatusCodes.Status503ServiceUnavailable, ErrorKinds.DatabaseUnavailable,
            "The job database is busy with other searches; try again shortly.", []);
    }

    private ObjectResult UnknownError(ExceptionContext context)
    {
        logger.LogError(context.Exception, "Unexpected failure while serving {Path}", context.HttpContext.Request.Path);
        return Error(StatusCodes.Status500InternalServerError, ErrorKinds.UnknownError,
            "An unexpected error occurred.",
            new() { ["trace_id"] = context.HttpContext.TraceIdentifier });
    }
}
