using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;

namespace Orchestrator.Api.Http;

/// <summary>
/// Opens the request's database connection once, before the action, so that the three or four statements of a
/// request share it. Left alone, EF Core opens and closes it around each statement, and on SQLite each open
/// re-registers EF's SQL functions and re-applies the connection settings (about 0.1 ms each on the benchmark
/// machine; see docs/performance.md). The DbContext closes it when the request's scope ends. A database that
/// cannot be reached fails here, inside MVC, so the error filter still answers 503.
/// </summary>
public sealed class OpenConnectionFilter(IOrchestratorDbContext db) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        // The handlers' context: on SQLite the read-only one, not the read-write context of migrations and import.
        if (db is DbContext dbContext)
            await dbContext.Database.OpenConnectionAsync(context.HttpContext.RequestAborted);
        await next();
    }
}
