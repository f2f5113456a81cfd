using Microsoft.AspNetCore.Mvc.Filters;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Api.Http;

/// <summary>
/// Begins the request's read transaction before the action (<see cref="RequestSnapshot"/>), so that all the
/// statements of a request share one connection and read one committed state. A database that cannot be reached
/// fails here, inside MVC, so the error filter still answers 503. The request's scope ends the transaction.
/// </summary>
public sealed class OpenConnectionFilter(RequestSnapshot snapshot) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        await snapshot.BeginAsync(context.HttpContext.RequestAborted);
        await next();
    }
}
