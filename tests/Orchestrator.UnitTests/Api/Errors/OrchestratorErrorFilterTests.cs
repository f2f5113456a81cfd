using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Api.Errors;
using Orchestrator.Application.Common.Errors;

namespace Orchestrator.UnitTests.Api.Errors;

public sealed class OrchestratorErrorFilterTests
{
    private const string TraceId = "0HN-trace-1";

    private readonly OrchestratorErrorFilter _filter = new(NullLogger<OrchestratorErrorFilter>.Instance);

    private static DefaultHttpContext HttpContext() => new() { TraceIdentifier = TraceId };

    private static ActionContext ActionContext(ModelStateDictionary? modelState = null, HttpContext? httpContext = null) =>
        new(httpContext ?? HttpContext(), new RouteData(), new ActionDescriptor(), modelState ?? new ModelStateDictionary());

    private IActionResult? OnException(Exception exception, ModelStateDictionary? modelState = null, HttpContext? httpContext = null)
    {
        var context = new ExceptionContext(ActionContext(modelState, httpContext), []) { Exception = exception };
        _filter.OnException(context);
        Assert.That(context.ExceptionHandled, Is.True);
        return context.Result;
    }

    private static void AssertError(IActionResult? result, int status, string kind, string msg, Dictionary<string, string> details)
    {
        Assert.That(result, Is.TypeOf<OrchestratorError>());
        var error = (OrchestratorError)result!;
        var body = error.Body!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Status, Is.EqualTo(status));
            Assert.That(body.Kind, Is.EqualTo(kind));
            Assert.That(body.Msg, Is.EqualTo(msg));
            Assert.That(body.Details, Is.EqualTo(details));
        }
    }

    private static OrchestratorError? ForStatus(int status, string method = "GET", string path = "/", bool credentials = false)
    {
        var context = HttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.StatusCode = status;
        if (credentials)
            context.Request.Headers["X-Authentication"] = "token";
        return OrchestratorErrors.ForStatus(context);
    }

    private static ModelStateDictionary Sent(string key, string attemptedValue)
    {
        var modelState = new ModelStateDictionary();
        modelState.SetModelValue(key, attemptedValue, attemptedValue);
        return modelState;
    }

    [Test]
    public void Invalid_model_state_answers_400_naming_each_parameter_and_the_text_sent()
    {
        var modelState = Sent("limit", "abc");
        modelState.AddModelError("limit", "must be an integer");
        modelState.SetModelValue("order_by", "Owner", "Owner");
        modelState.AddModelError("order_by", "must be one of: owner, timestamp, environment, name, state");
        var context = new ActionExecutingContext(ActionContext(modelState), [], new Dictionary<string, object?>(), new object());

        _filter.OnActionExecuting(context);

        AssertError(context.Result, 400, ErrorKinds.ValidationError,
            "limit must be an integer; order_by must be one of: owner, timestamp, environment, name, state",
            new() { ["limit"] = "abc", ["order_by"] = "Owner" });
    }

    [Test]
    public void Model_error_without_a_message_says_is_not_valid()
    {
        var modelState = Sent("start", "x");
        modelState.AddModelError("start", "");
        var context = new ActionExecutingContext(ActionContext(modelState), [], new Dictionary<string, object?>(), new object());

        _filter.OnActionExecuting(context);

        AssertError(context.Result, 400, ErrorKinds.ValidationError, "start is not valid", new() { ["start"] = "x" });
    }

    [Test]
    public void Valid_model_state_lets_the_action_run()
    {
        var modelState = Sent("limit", "5");
        modelState.MarkFieldValid("limit"); // as MVC's validation leaves it before action filters run
        var context = new ActionExecutingContext(ActionContext(modelState), [], new Dictionary<string, object?>(), new object());

        _filter.OnActionExecuting(context);

        Assert.That(context.Result, Is.Null);
    }

    [Test]
    public void Validation_exception_answers_400_with_snake_case_names_and_the_text_from_model_state()
    {
        var failures = new[]
        {
            new ValidationFailure("MaxFinishTimestamp", "must not be earlier than min_finish_timestamp",
                new DateTime(2016, 5, 20, 14, 45, 31, DateTimeKind.Utc)),
            new ValidationFailure("JobId", "must be a positive integer", 0L),
        };
        var modelState = Sent("max_finish_timestamp", "2016-05-20T16:45:31+02:00");

        var result = OnException(new ValidationException(failures), modelState);

        AssertError(result, 400, ErrorKinds.ValidationError,
            "max_finish_timestamp must not be earlier than min_finish_timestamp; job_id must be a positive integer",
            new() { ["max_finish_timestamp"] = "2016-05-20T16:45:31+02:00", ["job_id"] = "0" });
    }

    [Test]
    public void Validation_exception_without_model_state_echoes_the_attempted_value_invariantly()
    {
        var result = OnException(new ValidationException([new ValidationFailure("Limit", "must be a non-negative integer", -1)]));

        AssertError(result, 400, ErrorKinds.ValidationError, "limit must be a non-negative integer", new() { ["limit"] = "-1" });
    }

    [Test]
    public void Validation_exception_with_a_null_value_echoes_an_empty_string()
    {
        var result = OnException(new ValidationException([new ValidationFailure("Task", "is required", null)]));

        AssertError(result, 400, ErrorKinds.ValidationError, "task is required", new() { ["task"] = "" });
    }

    [Test]
    public void An_empty_job_id_segment_answers_400_for_job_id()
    {
        var result = ForStatus(404, path: "/orchestrator/v1/jobs//nodes");

        AssertError(result, 400, ErrorKinds.ValidationError, "job_id must be a positive integer", new() { ["job_id"] = "" });
    }

    [Test]
    public void Repeated_parameter_is_named_twice_in_msg_and_once_in_details()
    {
        var result = OrchestratorErrors.Validation(
        [
            new ParameterError("limit", "a", "must be an integer"),
            new ParameterError("limit", "b", "must be given once"),
        ]);

        AssertError(result, 400, ErrorKinds.ValidationError, "limit must be an integer; limit must be given once",
            new() { ["limit"] = "a" });
    }

    [Test]
    public void Unknown_job_answers_404_with_the_job_id()
    {
        var result = OnException(new UnknownJobException(1234));

        AssertError(result, 404, ErrorKinds.UnknownJob, "No job exists for id 1234", new() { ["job_id"] = "1234" });
    }

    [Test]
    public void Unmatched_route_answers_404_not_found()
    {
        var result = ForStatus(404, path: "/orchestrator/v1/nope");

        AssertError(result, 404, ErrorKinds.NotFound, "No resource at /orchestrator/v1/nope",
            new() { ["path"] = "/orchestrator/v1/nope" });
    }

    [Test]
    public void Wrong_method_answers_405_method_not_allowed()
    {
        var result = ForStatus(405, "DELETE", "/orchestrator/v1/jobs/1");

        AssertError(result, 405, ErrorKinds.MethodNotAllowed, "Method DELETE is not allowed on /orchestrator/v1/jobs/1",
            new() { ["method"] = "DELETE", ["path"] = "/orchestrator/v1/jobs/1" });
    }

    [Test]
    public void No_credentials_answer_401_user_unauthenticated() =>
        AssertError(ForStatus(401), 401, ErrorKinds.UserUnauthenticated,
            "Route requires authentication", []);

    [Test]
    public void Credentials_that_do_not_verify_answer_401_invalid_token() =>
        AssertError(ForStatus(401, credentials: true), 401, ErrorKinds.InvalidToken,
            "The provided authentication token is not valid", []);

    [Test]
    public void A_missing_permission_answers_403_not_permitted() =>
        AssertError(ForStatus(403, credentials: true), 403, ErrorKinds.NotPermitted,
            "Viewing jobs requires the orchestrator:view permission", new() { ["permission"] = "orchestrator:view" });

    [Test]
    public void A_rate_limited_client_answers_429() =>
        AssertError(ForStatus(429), 429, ErrorKinds.RateLimited, "Too many requests; try again shortly", []);

    [Test]
    public void An_oversized_request_answers_with_its_status_and_limit() =>
        AssertError(OrchestratorErrors.RequestTooLarge(414, "The URL is longer than 16384 characters", 16384), 414,
            ErrorKinds.RequestTooLarge, "The URL is longer than 16384 characters", new() { ["limit"] = "16384" });

    [Test]
    public void Database_failure_answers_503_database_unavailable()
    {
        var result = OnException(new SqliteException("unable to open database file", 14));

        AssertError(result, 503, ErrorKinds.DatabaseUnavailable, "The job database is unavailable; try again shortly.",
            new() { ["trace_id"] = TraceId });
    }

    [Test]
    public void Database_failure_wrapped_in_another_exception_answers_503()
    {
        var result = OnException(new InvalidOperationException("wrapper", new SqliteException("disk I/O error", 10)));

        AssertError(result, 503, ErrorKinds.DatabaseUnavailable, "The job database is unavailable; try again shortly.",
            new() { ["trace_id"] = TraceId });
    }

    [Test]
    public void Timeout_answers_503()
    {
        var result = OnException(new TimeoutException("command timed out"));

        AssertError(result, 503, ErrorKinds.DatabaseUnavailable, "The job database is unavailable; try again shortly.",
            new() { ["trace_id"] = TraceId });
    }

    [Test]
    public void Unexpected_exception_answers_500_without_its_message()
    {
        var result = OnException(new InvalidOperationException("secret connection string Password=hunter2"));

        AssertError(result, 500, ErrorKinds.UnknownError, "An unexpected error occurred.", new() { ["trace_id"] = TraceId });
        var body = ((OrchestratorError)result!).Body!;
        Assert.That(body.Msg + string.Join(" ", body.Details.Values), Does.Not.Contain("hunter2"));
    }

    [Test]
    public void Cancellation_of_an_aborted_request_answers_499_without_a_body()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        var httpContext = HttpContext();
        httpContext.RequestAborted = aborted.Token;

        var result = OnException(new OperationCanceledException(aborted.Token), httpContext: httpContext);

        Assert.That(result, Is.EqualTo(new OrchestratorError(499, null)));
    }

    [Test]
    public void Cancellation_while_the_request_is_alive_is_an_unexpected_error()
    {
        var result = OnException(new OperationCanceledException());

        AssertError(result, 500, ErrorKinds.UnknownError, "An unexpected error occurred.", new() { ["trace_id"] = TraceId });
    }

    [Test]
    public void Long_values_are_cut_to_the_maximum_echoed_length_plus_an_ellipsis()
    {
        var longValue = new string('9', OrchestratorErrors.MaxEchoedLength + 50);
        var exactValue = new string('8', OrchestratorErrors.MaxEchoedLength);

        var result = OrchestratorErrors.Validation(
        [
            new ParameterError("limit", longValue, "must be an integer"),
            new ParameterError("offset", exactValue, "must be an integer"),
        ]);

        AssertError(result, 400, ErrorKinds.ValidationError, "limit must be an integer; offset must be an integer", new()
        {
            ["limit"] = new string('9', OrchestratorErrors.MaxEchoedLength) + "…",
            ["offset"] = exactValue,
        });
    }

    [Test]
    public void Long_paths_are_cut_in_msg_and_details()
    {
        var path = "/" + new string('p', 200);
        var cut = path[..OrchestratorErrors.MaxEchoedLength] + "…";

        var result = ForStatus(404, path: path);

        AssertError(result, 404, ErrorKinds.NotFound, $"No resource at {cut}", new() { ["path"] = cut });
    }

    [Test]
    public void Long_model_state_values_are_cut()
    {
        var modelState = Sent("task", new string('t', 300));
        modelState.AddModelError("task", "must be at most 255 characters");
        var context = new ActionExecutingContext(ActionContext(modelState), [], new Dictionary<string, object?>(), new object());

        _filter.OnActionExecuting(context);

        AssertError(context.Result, 400, ErrorKinds.ValidationError, "task must be at most 255 characters",
            new() { ["task"] = new string('t', OrchestratorErrors.MaxEchoedLength) + "…" });
    }
}
