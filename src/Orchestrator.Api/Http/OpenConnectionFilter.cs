using Microsoft.AspNetCore.Mvc.Filters;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Api.Http;

/// <summary>One read transaction per request, begun inside MVC so that an unreachable database is the filter's 503.</summary>
public sealed class OpenConnectionFilter(RequestSnapshot snapshot) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        await snapshot.BeginAsync(context.HttpContext.RequestAborted);
        await next();
    }
}
