using Microsoft.AspNetCore.Mvc.Filters;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Api.Http;

/// <summary>
/// Begins the request's read transaction, so all its statements share one connection and read one committed state.
/// A database that cannot be reached fails here, inside MVC, so the error filter still answers 503.
/// </summary>
public sealed class OpenConnectionFilter(RequestSnapshot snapshot) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        await snapshot.BeginAsync(context.HttpContext.RequestAborted);
        await next();
    }
}
