using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Orchestrator.Api.Authentication;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Json;

namespace Orchestrator.Api.Errors;

/// <summary>An answer in the orchestrator's error shape (no body for a client that went away), and its one writer.</summary>
public sealed record OrchestratorError(int Status, ErrorResponse? Body) : IActionResult, IResult
{
    public Task ExecuteResultAsync(ActionContext context) => WriteAsync(context.HttpContext);

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext);

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        if (Body is null)
            return;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, Body, OrchestratorJson.Options, context.RequestAborted);
    }
}

/// <summary>One offending parameter: its wire name, the text the client sent, and what is wrong with it.</summary>
public sealed record ParameterError(string Parameter, string? Value, string Message);

/// <summary>
/// Every error body this API writes: the MVC filter (<see cref="OrchestratorErrorFilter"/>), the exception
/// handler, the status-code pages, the health checks and the benchmark ceiling all ask here.
/// </summary>
public static partial class OrchestratorErrors
{
    /// <summary>Echoed values are cut to this length so an error body never grows with the request.</summary>
    public const int MaxEchoedLength = 100;

    /// <summary>The exception handler's answer for a failure outside MVC.</summary>
    public static Task WriteExceptionAsync(HttpContext context)
    {
        var failure = context.Features.Get<IExceptionHandlerFeature>()!.Error;
        var logger = context.RequestServices.GetRequiredService<ILogger<OrchestratorError>>();
        return For(failure, context, null, logger).WriteAsync(context);
    }

    /// <summary>The status-code pages' answer: a body for an empty 4xx or 5xx (no route, wrong method, refused credentials...).</summary>
    public static Task WriteStatusAsync(StatusCodeContext status) =>
        ForStatus(status.HttpContext)?.WriteAsync(status.HttpContext) ?? Task.CompletedTask;

    public static OrchestratorError? ForStatus(HttpContext context)
    {
        var request = context.Request;
        var path = request.PathBase + request.Path;
        return context.Response.StatusCode switch
        {
            StatusCodes.Status499ClientClosedRequest => null,
            // /jobs//nodes: the job id is there, only empty; that is a bad id, not a missing route.
            StatusCodes.Status404NotFound when EmptyJobIdPath().IsMatch(request.Path) =>
                Validation([new ParameterError("job_id", "", "must be a positive integer")]),
            StatusCodes.Status401Unauthorized when Credentials.Sent(request) => Error(
                StatusCodes.Status401Unauthorized, ErrorKinds.InvalidToken, "The provided authentication token is not valid", []),
            StatusCodes.Status401Unauthorized => Error(
                StatusCodes.Status401Unauthorized, ErrorKinds.UserUnauthenticated, "Route requires authentication", []),
            StatusCodes.Status403Forbidden => Error(
                StatusCodes.Status403Forbidden, ErrorKinds.NotPermitted,
                $"Viewing jobs requires the {AuthOptions.ViewPermission} permission",
                new() { ["permission"] = AuthOptions.ViewPermission }),
            StatusCodes.Status429TooManyRequests => Error(
                StatusCodes.Status429TooManyRequests, ErrorKinds.RateLimited, "Too many requests; try again shortly", []),
            StatusCodes.Status405MethodNotAllowed => Error(
                StatusCodes.Status405MethodNotAllowed, ErrorKinds.MethodNotAllowed,
                $"Method {Echo(request.Method)} is not allowed on {Echo(path)}",
                new() { ["method"] = Echo(request.Method), ["path"] = Echo(path) }),
            _ => Error(StatusCodes.Status404NotFound, ErrorKinds.NotFound, $"No resource at {Echo(path)}", new() { ["path"] = Echo(path) }),
        };
    }

    /// <summary>The answer for a failure; <paramref name="modelState"/> holds the text the client sent, where MVC bound it.</summary>
    public static OrchestratorError For(Exception exception, HttpContext context, ModelStateDictionary? modelState, ILogger logger) =>
        exception switch
        {
            ValidationException e => Validation(FromValidation(e, modelState)),
            UnknownJobException e => Error(
                StatusCodes.Status404NotFound, ErrorKinds.UnknownJob, e.Message,
                new() { ["job_id"] = e.JobId.ToString(CultureInfo.InvariantCulture) }),
            // A statement interrupted because the client went away is not a database failure.
            _ when context.RequestAborted.IsCancellationRequested && (exception is OperationCanceledException || IsDatabaseFailure(exception)) =>
                new OrchestratorError(StatusCodes.Status499ClientClosedRequest, null),
            DatabaseBusyException e => Busy(context, e),
            _ when IsDatabaseFailure(exception) => DatabaseUnavailable(exception, context, logger),
            _ => UnknownError(exception, context, logger),
        };

    public static OrchestratorError Validation(IReadOnlyList<ParameterError> errors)
    {
        var msg = string.Join("; ", errors.Select(e => $"{e.Parameter} {e.Message}"));
        var details = new Dictionary<string, string>();
        foreach (var error in errors)
            details.TryAdd(error.Parameter, Echo(error.Value));
        return Error(StatusCodes.Status400BadRequest, ErrorKinds.ValidationError, msg, details);
    }

    public static OrchestratorError RequestTooLarge(int status, string message, int limit) =>
        Error(status, ErrorKinds.RequestTooLarge, message, new() { ["limit"] = limit.ToString(CultureInfo.InvariantCulture) });

    public static OrchestratorError Error(int status, string kind, string msg, Dictionary<string, string> details) =>
        new(status, new ErrorResponse(kind, msg, details));

    public static List<ParameterError> FromModelState(ModelStateDictionary modelState) =>
        modelState
            .Where(entry => entry.Value is { ValidationState: ModelValidationState.Invalid })
            .SelectMany(entry => entry.Value!.Errors.Select(error => new ParameterError(
                entry.Key, entry.Value.AttemptedValue, string.IsNullOrEmpty(error.ErrorMessage) ? "is not valid" : error.ErrorMessage)))
            .ToList();

    public static string Echo(string? value) =>
        value is null ? "" : value.Length <= MaxEchoedLength ? value : string.Concat(value.AsSpan(0, MaxEchoedLength), "…");

    // Property names of the query records are the wire names in PascalCase (MinFinishTimestamp is
    // min_finish_timestamp); the text the client sent is in model state under that wire name.
    private static List<ParameterError> FromValidation(ValidationException exception, ModelStateDictionary? modelState) =>
        exception.Errors.Select(failure =>
        {
            var parameter = JsonNamingPolicy.SnakeCaseLower.ConvertName(failure.PropertyName);
            var sent = modelState?.TryGetValue(parameter, out var entry) == true ? entry!.AttemptedValue : null;
            return new ParameterError(parameter, sent ?? Convert.ToString(failure.AttemptedValue, CultureInfo.InvariantCulture), failure.ErrorMessage);
        }).ToList();

    private static bool IsDatabaseFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or TimeoutException)
                return true;
        }

        return false;
    }

    private static OrchestratorError Busy(HttpContext context, DatabaseBusyException exception)
    {
        context.Response.Headers.RetryAfter = exception.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Error(StatusCodes.Status503ServiceUnavailable, ErrorKinds.DatabaseUnavailable,
            "The job database is busy with other searches; try again shortly.", []);
    }

    private static OrchestratorError DatabaseUnavailable(Exception exception, HttpContext context, ILogger logger)
    {
        logger.LogError(exception, "The database failed while serving {Path}", context.Request.Path);
        return Error(StatusCodes.Status503ServiceUnavailable, ErrorKinds.DatabaseUnavailable,
            "The job database is unavailable; try again shortly.", new() { ["trace_id"] = context.TraceIdentifier });
    }

    private static OrchestratorError UnknownError(Exception exception, HttpContext context, ILogger logger)
    {
        logger.LogError(exception, "Unexpected failure while serving {Path}", context.Request.Path);
        return Error(StatusCodes.Status500InternalServerError, ErrorKinds.UnknownError,
            "An unexpected error occurred.", new() { ["trace_id"] = context.TraceIdentifier });
    }

    [GeneratedRegex("^/orchestrator/v1/jobs//(nodes|report|events)/?$")]
    private static partial Regex EmptyJobIdPath();
}
