using Microsoft.AspNetCore.Mvc.Filters;

namespace Orchestrator.Api.Errors;

/// <summary>
/// MVC's way into <see cref="OrchestratorErrors"/>: parameters that did not bind (model state), and every exception
/// an action throws (FluentValidation failures from the mediator pipeline, unknown jobs, the database failing).
/// </summary>
public sealed class OrchestratorErrorFilter(ILogger<OrchestratorErrorFilter> logger) : IActionFilter, IExceptionFilter
{
    public void OnActionExecuting(ActionExecutingContext context)
    {
        if (!context.ModelState.IsValid)
            context.Result = OrchestratorErrors.Validation(OrchestratorErrors.FromModelState(context.ModelState));
    }

    public void OnActionExecuted(ActionExecutedContext context)
    {
    }

    public void OnException(ExceptionContext context)
    {
        context.Result = OrchestratorErrors.For(context.Exception, context.HttpContext, context.ModelState, logger);
        context.ExceptionHandled = true;
    }
}
